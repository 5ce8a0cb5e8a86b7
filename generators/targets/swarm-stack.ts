/**
 * docker-stack.yml for `docker stack deploy`, rendered from the project's compose services (the
 * same entries docker-compose.yml holds) plus what a swarm needs on top: deploy sections, one
 * attachable overlay network, DNS round robin, host-mode ports, a Consul server cluster. Pure.
 */
import { Document, isMap, isScalar, parse, type Node, type Pair } from 'yaml';
import type { Component } from '../../blueprints/index.js';
import { GeneratorError } from '../errors.js';

export const STACK_FILE = 'docker-stack.yml';
export const NETWORK = 'autopilot';
/** The Consul servers: a raft cluster of this size tolerates losing one. */
export const CONSUL_SERVERS = 3;
export const CONSUL_DATA = 'consul-data';
/** What the Consul address in a container becomes: its own agent (the consul-agent job). */
export const LOCAL_CONSUL = 'localhost:8500';

type Entry = Record<string, unknown>;
export interface StackService {
  name: string;
  component: Component;
}

const restart = () => ({ condition: 'any', delay: '5s', window: '60s' });
const resources = (limit: string, reserve: string, cpus: string) => ({ limits: { cpus, memory: limit }, reservations: { memory: reserve } });
const update = (order: 'start-first' | 'stop-first') => ({ parallelism: 1, delay: '5s', order, failure_action: 'rollback', monitor: '30s' });

/** Why each deploy choice is what it is; attached as comments above the keys they explain. */
const WHY = {
  dnsrr: 'DNS round robin: no virtual IP, so no IPVS needed (nginx finds instances through Consul anyway)',
  hostPort: 'published on each node itself (mode: host): the routing mesh needs IPVS, which some kernels lack',
  nginxUpdate: 'stop-first: the old task holds the host port on its node until it stops',
  appUpdate: 'start-first: the new task passes its health check (autopilot health) before the old one stops',
  consulUpdate: 'stop-first, one at a time: a new server must not share the old one\'s data volume, and raft keeps quorum with 2 of 3',
  consulPlacement: 'one server per node: losing a node costs one vote, and raft keeps its quorum',
  dbUpdate: 'stop-first: one writer per data volume',
  dbPlacement: 'the data volume is local to a node: label the node that keeps it',
};

function deployFor(s: StackService): { deploy: Entry; why: Record<string, string> } {
  switch (s.component) {
    case 'consul':
      return {
        deploy: { endpoint_mode: 'dnsrr', replicas: CONSUL_SERVERS, placement: { max_replicas_per_node: 1 }, restart_policy: restart(), update_config: update('stop-first'), resources: resources('256M', '128M', '0.5') },
        why: { update_config: WHY.consulUpdate, placement: WHY.consulPlacement },
      };
    case 'nginx':
      return {
        deploy: { mode: 'global', endpoint_mode: 'dnsrr', restart_policy: restart(), update_config: update('stop-first'), resources: resources('256M', '64M', '0.5') },
        why: { update_config: WHY.nginxUpdate },
      };
    case 'database':
      return {
        deploy: { endpoint_mode: 'dnsrr', replicas: 1, placement: { constraints: [`node.labels.${s.name}.data == true`] }, restart_policy: restart(), update_config: update('stop-first'), resources: resources('1G', '256M', '1') },
        why: { update_config: WHY.dbUpdate, placement: WHY.dbPlacement },
      };
    default:
      return {
        deploy: { endpoint_mode: 'dnsrr', replicas: CONSUL_SERVERS, restart_policy: restart(), update_config: update('start-first'), resources: resources('256M', '96M', '0.5') },
        why: { update_config: WHY.appUpdate },
      };
  }
}

/** `${REGISTRY}<project>-<service>:${TAG}`: what `docker compose -f docker-stack.yml build` tags and `push` pushes. */
export function stackImage(project: string, service: string): string {
  return `\${REGISTRY:-}${project}-${service}:\${TAG:-latest}`;
}

function buildContext(entry: Entry, service: string): string {
  const build = entry['build'];
  if (typeof build === 'string') return build;
  if (build !== null && typeof build === 'object' && typeof (build as Entry)['context'] === 'string') return String((build as Entry)['context']);
  return `${service}/`;
}

/** The compose entry's environment with the Consul address pointing at the container's own agent. */
function environment(entry: Entry): unknown {
  const env = entry['environment'];
  const local = (v: unknown) => (typeof v === 'string' ? v.replace(/\bconsul:8500\b/g, LOCAL_CONSUL) : v);
  if (Array.isArray(env)) return env.map(local);
  if (env !== null && typeof env === 'object') return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, local(v)]));
  return undefined;
}

function stackEntry(project: string, s: StackService, compose: Entry): { entry: Entry; why: Record<string, string> } {
  const { deploy, why } = deployFor(s);
  const entry: Entry = { build: buildContext(compose, s.name), image: stackImage(project, s.name) };
  const env = environment(compose);
  if (env !== undefined) entry['environment'] = env;
  if (s.component === 'consul') {
    // One server per node, named for it: a restarted server keeps its name with its data volume.
    entry['hostname'] = `${s.name}-{{.Node.Hostname}}`;
    entry['volumes'] = [`${CONSUL_DATA}:/consul/data`];
  }
  else if (Array.isArray(compose['volumes'])) entry['volumes'] = compose['volumes'];
  if (s.component === 'nginx') {
    const ports = (Array.isArray(compose['ports']) ? compose['ports'] : ['80:80']).map(String);
    entry['ports'] = ports.map((p) => {
      const [published, target] = p.split(':').map(Number);
      return { target: target ?? published, published, protocol: 'tcp', mode: 'host' };
    });
    why['ports'] = WHY.hostPort;
  }
  entry['networks'] = [NETWORK];
  // Time for autopilot to deregister from Consul and drain before the task is killed.
  entry['stop_grace_period'] = s.component === 'consul' || s.component === 'database' ? '60s' : '20s';
  entry['deploy'] = deploy;
  why['endpoint_mode'] = WHY.dnsrr;
  return { entry, why };
}

function header(project: string): string {
  return [
    ` ${project} on Docker Swarm: docker stack deploy -c docker-stack.yml ${project}`,
    ' Rendered from docker-compose.yml by autopilot (`autopilot add` keeps it in step): the same',
    ' services, plus deploy sections, a Consul server cluster of 3 and a Consul agent in each',
    ' container. Build and push the images first (stack deploy ignores `build`):',
    '   REGISTRY=registry.example.com/ docker compose -f docker-stack.yml build',
    '   REGISTRY=registry.example.com/ docker compose -f docker-stack.yml push',
    ' README.md (Docker Swarm) says why it looks the way it does.',
  ].join('\n');
}

/** The key node of `map[key]`, to hang a comment on. */
function keyNode(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
  return pair?.key as Node | undefined;
}

/**
 * The stack file for the services of `compose` (docker-compose.yml's text), each with its
 * component. The compose `consul` dev agent becomes the server cluster.
 */
export function renderStack(project: string, compose: string, services: readonly StackService[]): string {
  const parsed = parse(compose) as { services?: Record<string, Entry> } | null;
  const entries = parsed?.services;
  if (entries === undefined || entries === null || typeof entries !== 'object') throw new GeneratorError('docker-compose.yml has no services: map to render docker-stack.yml from');
  const out: Record<string, Entry> = {};
  const notes: Array<[string, Record<string, string>]> = [];
  for (const s of services) {
    const { entry, why } = stackEntry(project, s, entries[s.name] ?? {});
    out[s.name] = entry;
    notes.push([s.name, why]);
  }
  const volumes: Record<string, Entry> = { [CONSUL_DATA]: {} };
  for (const e of Object.values(entries)) {
    for (const v of Array.isArray(e?.['volumes']) ? e['volumes'] : []) {
      const source = typeof v === 'string' ? v.split(':')[0]! : '';
      if (/^[a-z0-9][a-z0-9_.-]*$/i.test(source)) volumes[source] = {};
    }
  }
  const doc = new Document({ version: '3.8', services: out, networks: { [NETWORK]: { driver: 'overlay', attachable: true } }, volumes });
  doc.commentBefore = header(project);
  for (const [name, why] of notes) {
    const entry = doc.getIn(['services', name]);
    const deploy = doc.getIn(['services', name, 'deploy']);
    for (const [key, text] of Object.entries(why)) {
      const node = keyNode(key === 'ports' ? entry : deploy, key);
      if (node) node.commentBefore = ` ${text}`;
    }
  }
  const attachable = keyNode(doc.getIn(['networks', NETWORK]), 'attachable');
  if (attachable) attachable.commentBefore = ' attachable: `docker run --network <stack>_autopilot` reaches the services, for debugging and one-off jobs';
  return doc.toString({ lineWidth: 0 });
}
