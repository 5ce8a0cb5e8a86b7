/**
 * The swarm target (`new --target swarm`): the project the compose target writes, rendered for
 * `docker stack deploy` as well. One model: docker-stack.yml comes from docker-compose.yml's
 * services and their components (swarm-stack.ts); the services' own files get a Consul agent
 * job and point autopilot at it; `consul/` becomes a Consul server image. `add` keeps all of it
 * in step when the project has a docker-stack.yml (that file is the record of the target). Pure.
 */
import type { Component, ServiceSpec } from '../../blueprints/index.js';
import { agentsCanJoin, composeServiceNames } from '../compose-patch.js';
import { contextLocals, type RenderContext } from '../components.js';
import { appendToTopLevelArray, parseJson5 } from '../json5-patch.js';
import { detectComponent } from '../project.js';
import { renderTemplate } from '../render.js';
import { readTemplate } from '../template-files.js';
import { VENDORED_BINARY } from '../supervisor-source.js';
import type { FileOp, ReadFile } from '../types.js';
import { CONSUL_SERVERS, LOCAL_CONSUL, renderStack, STACK_FILE } from './swarm-stack.js';

export const TARGETS = ['compose', 'swarm'] as const;
export type Target = (typeof TARGETS)[number];

/** The file that marks a Consul server directory (and so the swarm target's `consul/`). */
const RAFT_CHECK = 'check-raft.mjs';
const AGENT_JOB = 'consul-agent';
const DRAIN_JOB = 'drain';

/** The Consul server image of the swarm stack: `<name>/` with its Dockerfile, config and check. */
export function consulServerFiles(name: string, ctx: RenderContext): FileOp[] {
  const spec: ServiceSpec = { name, component: 'consul', port: 8500 };
  const locals = { ...contextLocals(ctx, spec), service: spec, servers: CONSUL_SERVERS };
  const ops: FileOp[] = [
    { path: `${name}/Dockerfile`, content: renderTemplate('consul-server', 'Dockerfile.ejs', locals), action: 'create' },
    { path: `${name}/containerpilot.json5`, content: renderTemplate('consul-server', 'containerpilot.json5.ejs', locals), action: 'create' },
    { path: `${name}/${RAFT_CHECK}`, content: readTemplate('consul-server', RAFT_CHECK), action: 'create' },
  ];
  if (ctx.supervisor.vendor) {
    if (ctx.vendorFrom === undefined) throw new Error('vendoring needs the binary to copy (vendorFrom)');
    ops.push({ path: `${name}/${VENDORED_BINARY}`, content: '', copyFrom: ctx.vendorFrom, mode: 0o755, action: 'create' });
  }
  return ops;
}

/** The component of a project service, knowing the swarm target's Consul server directory. */
export function componentOf(read: ReadFile, service: string): Component {
  // The compose target's consul runs the official image: no directory of its own.
  if (read(`${service}/Dockerfile`) === undefined && service === 'consul') return 'consul';
  return detectComponent(read, service);
}

/**
 * The Consul agent each container runs beside its app, so autopilot registers with an agent on its
 * own node. It joins `tasks.<consul>` (the server tasks, on a swarm) and `<consul>` (on a swarm the
 * same tasks, as the servers use DNS round robin; under `docker compose up` the dev agent): the
 * agents find Consul under both, and a name that does not resolve is only a warning while the
 * other one joins.
 */
const agentJob = (consulService: string) => ({
  name: AGENT_JOB,
  exec: ['consul', 'agent', `-retry-join=tasks.${consulService}`, `-retry-join=${consulService}`, '-retry-interval=5s', '-data-dir=/tmp/consul', '-bind={{ .CONSUL_BIND }}'],
  restarts: 'unlimited',
});

/**
 * How long an instance stays up, out of Consul, before its app gets SIGTERM: nginx's watch sees
 * the deregistration within milliseconds (a blocking query), renders and reloads; this leaves it
 * ample time on a loaded node (docs/swarm.md has the measured figures).
 */
const DRAIN_SECONDS = 2;

/**
 * The stop-time hook of every job that registers a service and of the Consul agent: maintenance
 * deregisters the services (through the agent, still running: it waits for this hook too), and the
 * instance stays up while nginx drops it; only then do the jobs get SIGTERM and the agent leaves.
 * Without it the app would get SIGTERM as it deregisters, while nginx still sends to it.
 */
const drainJob = (sources: string[]) => ({
  name: DRAIN_JOB,
  exec: ['/bin/sh', '-c', `autopilot ctl maintenance enable; sleep ${DRAIN_SECONDS}`],
  when: { source: sources, once: 'stopping' },
});

const pointAtLocalAgent = (text: string) => text.replace(/\bconsul:8500\b/g, LOCAL_CONSUL);

/** A service's containerpilot.json5 for the swarm: its own Consul agent, and a drain before the stop. Idempotent. */
export function swarmConfig(text: string, path: string, consulService = 'consul'): string {
  let out = pointAtLocalAgent(text);
  const jobs = () => (parseJson5(out, path) as { jobs?: Array<{ name?: unknown; port?: unknown }> }).jobs ?? [];
  if (!jobs().some((j) => j.name === AGENT_JOB)) out = appendToTopLevelArray(out, 'jobs', agentJob(consulService), path);
  const registered = jobs().filter((j) => j.port !== undefined && typeof j.name === 'string').map((j) => String(j.name));
  if (registered.length > 0 && !jobs().some((j) => j.name === DRAIN_JOB)) out = appendToTopLevelArray(out, 'jobs', drainJob([...registered, AGENT_JOB]), path);
  return out;
}

const AGENT_LINES = [
  '# Swarm: a Consul agent runs beside the app (job consul-agent), bound to the overlay address (eth0).',
  'COPY --from=hashicorp/consul:1.20 /bin/consul /usr/local/bin/consul',
  'ENV CONSUL_BIND="{{ GetInterfaceIP `eth0` }}"',
];

/** A service's Dockerfile for the swarm: the Consul binary beside autopilot. Idempotent. */
export function swarmDockerfile(text: string): string {
  const local = pointAtLocalAgent(text);
  if (local.includes(AGENT_LINES[1]!)) return local;
  const lines = local.split('\n');
  const at = lines.findIndex((l) => /^COPY\b.*\/usr\/local\/bin\/autopilot\s*$/.test(l));
  const cmd = lines.findIndex((l) => /^(CMD|ENTRYPOINT)\b/.test(l));
  const where = at >= 0 ? at + 1 : cmd >= 0 ? cmd : lines.length;
  lines.splice(where, 0, ...AGENT_LINES);
  return lines.join('\n');
}

/** A file of a supervised service, as the swarm target writes it. */
function swarmOp(op: FileOp, consulService: string): FileOp {
  if (op.path.endsWith('/containerpilot.json5')) return { ...op, content: swarmConfig(op.content, op.path, consulService) };
  if (op.path.endsWith('/Dockerfile')) return { ...op, content: swarmDockerfile(op.content) };
  if (/\.(js|sh)$/.test(op.path)) return { ...op, content: pointAtLocalAgent(op.content) };
  return op;
}

const serviceOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined);

/** `new --target swarm`: the compose target's files, the services' files for the swarm, the server image and the stack. */
export function planSwarm(ops: FileOp[], services: readonly ServiceSpec[], ctx: RenderContext, readme: string): FileOp[] {
  const consul = services.find((s) => s.component === 'consul')?.name ?? 'consul';
  const out = ops.map((op) => {
    if (op.path === 'README.md') return { ...op, content: `${op.content.replace(/\n*$/, '\n')}\n${readme}` };
    // The same services run under `docker compose up`, their agents joining the compose server.
    if (op.path === 'docker-compose.yml') return { ...op, content: agentsCanJoin(op.content, []) };
    return serviceOf(op.path) === undefined || op.copyFrom !== undefined ? op : swarmOp(op, consul);
  });
  out.push(...consulServerFiles(consul, ctx));
  const compose = out.find((op) => op.path === 'docker-compose.yml')!.content;
  out.push({ path: STACK_FILE, content: renderStack(ctx.project, compose, services.map((s) => ({ name: s.name, component: s.component }))), action: 'create' });
  return out;
}

/**
 * `add` in a swarm project: the files it writes for a service get the swarm's changes, and
 * docker-stack.yml is rendered again from the new docker-compose.yml. Untouched otherwise.
 */
export function keepStackInStep(read: ReadFile, ops: FileOp[], project: string): FileOp[] {
  const before = read(STACK_FILE);
  if (before === undefined || ops.length === 0) return ops;
  const after = (path: string) => ops.find((op) => op.path === path)?.content ?? read(path);
  const compose = after('docker-compose.yml') ?? '';
  const consul = composeServiceNames(compose).find((s) => componentOf(after, s) === 'consul') ?? 'consul';
  const out = ops.map((op) => {
    const service = serviceOf(op.path);
    return service === undefined || service === consul || op.copyFrom !== undefined ? op : swarmOp(op, consul);
  });
  const services = composeServiceNames(compose).map((name) => ({ name, component: componentOf(after, name) }));
  const stack = renderStack(project, compose, services);
  if (stack !== before) out.push({ path: STACK_FILE, content: stack, action: 'update', previous: before });
  return out;
}
