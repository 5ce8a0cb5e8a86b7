/**
 * What each component renders: its files, its compose entry, and the hook job it runs when a
 * watched backend changes. Pure: answers in, text out.
 */
import { DATABASES, type Component, type ServiceSpec } from '../blueprints/index.js';
import { DEFAULT_STYLE, formatJson5, indentText } from './json5-format.js';
import { renderTemplate } from './render.js';
import { npxCommand, PACKAGE_NAME, PLATFORMS, supervisorLines, VENDORED_BINARY, type Libc, type SupervisorSource } from './supervisor-source.js';
import { readTemplate } from './template-files.js';
import { clientVendorOps, isVendoredClient, withClient, type ClientSource } from './client-source.js';
import type { FileOp } from './types.js';

export const CONSUL_ADDRESS = 'consul:8500';
/** With `--consul-agent`: each container's own Consul agent, which autopilot and the app talk to. */
export const AGENT_ADDRESS = 'localhost:8500';
/** The Consul image of the project's server; `--consul-agent` images copy their agent's binary from it. */
export const CONSUL_IMAGE = 'hashicorp/consul:1.20';

export interface RenderContext {
  project: string;
  /** Where the images get autopilot, and which version. */
  supervisor: SupervisorSource;
  /** The running binary, copied into each build context when `supervisor.vendor` is set. */
  vendorFrom?: string;
  /** `--consul-agent`: a Consul agent in each container, joined to the server; autopilot registers with it. */
  consulAgent?: boolean;
}

/** The Consul address a service's supervisor, hooks and app use. */
export function consulFor(ctx: Pick<RenderContext, 'consulAgent'>): string {
  return ctx.consulAgent ? AGENT_ADDRESS : CONSUL_ADDRESS;
}

/**
 * `--consul-agent`'s job, as the article's coprocess: a client agent that retry-joins the server
 * (the compose service "consul") for as long as it takes, restarted whenever it exits. Client
 * agents leave the cluster on SIGTERM, which takes the container's registrations with them.
 */
export function consulAgentJob(): Record<string, unknown> {
  return { name: 'consul-agent', exec: ['consul', 'agent', '-data-dir=/tmp/consul', '-retry-join=consul', '-retry-interval=5s'], restarts: 'unlimited' };
}

/** The Dockerfile line that puts the agent's binary into an image (the official image keeps it in /bin). */
const CONSUL_COPY = `COPY --from=${CONSUL_IMAGE} /bin/consul /usr/local/bin/consul\n`;

/** The C library of each component's base image: the binary must match it. */
const LIBC: Record<Component, Libc> = { consul: 'glibc', nginx: 'glibc', 'node-service': 'glibc', 'todo-api': 'glibc', database: 'glibc' };

/** What the project README sees: the version, how to run it, where the binary comes from. */
export function readmeLocals(ctx: RenderContext) {
  const s = ctx.supervisor;
  const locals = { project: ctx.project, version: s.version, npx: npxCommand(s.version), packageName: PACKAGE_NAME, vendor: s.vendor, pinned: PLATFORMS.every((p) => s.sha256[p] !== undefined) };
  return { ...locals, supervisorSection: renderTemplate('readme', 'supervisor-source.md.ejs', locals) };
}

/** Where the apps get autopilot-pattern-client: the published one when known, else vendored. */
export function clientSource(ctx: RenderContext): ClientSource {
  return { version: ctx.supervisor.version, integrity: ctx.supervisor.vendor ? undefined : ctx.supervisor.clientIntegrity };
}

/** What every template sees of the context. */
export function contextLocals(ctx: RenderContext, spec: ServiceSpec) {
  const lines = supervisorLines(ctx.supervisor, LIBC[spec.component]);
  const database = spec.database === undefined ? {} : { db: DATABASES[spec.database], volume: dataVolume(spec.name), list: (v: string[]) => `[${v.map((x) => JSON.stringify(x)).join(', ')}]` };
  const copy = ctx.consulAgent && spec.component !== 'consul' ? lines.copy + CONSUL_COPY : lines.copy;
  return { project: ctx.project, version: ctx.supervisor.version, autopilot: { ...lines, copy, vendor: ctx.supervisor.vendor, healthcheck: HEALTHCHECK }, consul: consulFor(ctx), consulAgent: Boolean(ctx.consulAgent), client: { vendored: isVendoredClient(clientSource(ctx)) }, ...database };
}

/**
 * Every image's Docker HEALTHCHECK: the supervisor's own view of its health-checked jobs, over
 * its control socket, so `docker ps`, swarm's rolling updates and `depends_on: condition:
 * service_healthy` see what Consul sees, without curl in the image.
 */
const HEALTHCHECK = '# Docker sees the health Consul sees: `autopilot health` asks the supervisor (no curl needed).\nHEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["autopilot", "health"]\n';

/** The named volume that holds a database service's data. */
export function dataVolume(service: string): string {
  return `${service}-data`;
}

/** The watch entry added for a backend. */
export function watchEntry(backend: string): { name: string; interval: number } {
  return { name: backend, interval: 3 };
}

/** The job that reacts to `changed` on `watch.<backend>`, per component. */
export function hookJob(service: ServiceSpec, backend: string, scriptDir = `/opt/${service.name}`, consul = CONSUL_ADDRESS): Record<string, unknown> {
  const when = { source: `watch.${backend}`, each: 'changed' };
  const name = `onchange-${backend}`;
  switch (service.component) {
    case 'nginx':
      return { name, exec: ['autopilot', 'render', '-once', '-consul', consul, '-template', '/etc/containerpilot/nginx.conf.ctmpl:/etc/nginx/nginx.conf:nginx -s reload'], when };
    case 'todo-api':
      return { name, exec: `node /opt/${service.name}/reconnect.js`, when };
    default:
      return { name, exec: ['/bin/sh', `${scriptDir}/${name}.sh`], when };
  }
}

/** Extra files a hook needs (a script the user fills in, for services without a built-in hook). */
export function hookFiles(service: ServiceSpec, backend: string, consul = CONSUL_ADDRESS): FileOp[] {
  if (service.component === 'nginx' || service.component === 'todo-api') return [];
  const content = renderTemplate('node-service', 'onchange.sh.ejs', { service, backend, consul });
  return [{ path: `${service.name}/onchange-${backend}.sh`, content, mode: 0o755, action: 'create' }];
}

/** JSON5 array items at 4 spaces, each ending in a comma (the generated files' style). */
function arrayItems(values: unknown[]): string {
  return values.map((v) => indentText(formatJson5(v, DEFAULT_STYLE) + ',', '    ') + '\n').join('');
}

export function nginxUpstream(name: string, ctmpl: boolean): string {
  return renderTemplate('nginx', 'upstream.ejs', { name, ctmpl });
}

export function nginxLocation(name: string): string {
  return renderTemplate('nginx', 'location.ejs', { name });
}

const FILES: Record<Component, Array<[out: string, template: string, extra?: Record<string, unknown>]>> = {
  consul: [],
  nginx: [
    ['Dockerfile', 'Dockerfile.ejs'],
    ['containerpilot.json5', 'containerpilot.json5.ejs'],
    ['nginx.conf.ctmpl', 'nginx.conf.ejs', { ctmpl: true }],
    ['nginx.conf', 'nginx.conf.ejs', { ctmpl: false }],
    ['prestart.sh', 'prestart.sh'],
  ],
  'node-service': [
    ['Dockerfile', 'Dockerfile.ejs'],
    ['containerpilot.json5', 'containerpilot.json5.ejs'],
    ['index.js', 'index.js.ejs'],
  ],
  database: [
    ['Dockerfile', 'Dockerfile.ejs'],
    ['containerpilot.json5', 'containerpilot.json5.ejs'],
  ],
  'todo-api': [
    ['Dockerfile', 'Dockerfile.ejs'],
    ['.dockerignore', 'dockerignore'],
    ['containerpilot.json5', 'containerpilot.json5.ejs'],
    ['package.json', 'package.json'],
    ['package-lock.json', 'package-lock.json'],
    ['index.js', 'index.js.ejs'],
    ['reconnect.js', 'reconnect.js.ejs'],
  ],
};

/** The files of one service, under `<service.name>/`. */
export function serviceFiles(spec: ServiceSpec, ctx: RenderContext): FileOp[] {
  const backends = spec.backends ?? [];
  const service = { ...spec, backends };
  const base = {
    ...contextLocals(ctx, spec),
    service,
    hookJobs: arrayItems([...(ctx.consulAgent ? [consulAgentJob()] : []), ...backends.map((b) => hookJob(spec, b, undefined, consulFor(ctx)))]),
    watches: arrayItems(backends.map(watchEntry)),
    locations: backends.map(nginxLocation).join(''),
  };
  const ops: FileOp[] = FILES[spec.component].map(([out, template, extra]) => {
    const locals = { ...base, ...extra, upstreams: backends.map((b) => nginxUpstream(b, extra?.['ctmpl'] === true)).join('') };
    const content = template.endsWith('.ejs') ? renderTemplate(spec.component, template, locals) : readTemplate(spec.component, template);
    return { path: `${spec.name}/${out}`, content, action: 'create' as const };
  });
  if (spec.component === 'node-service') for (const b of backends) ops.push(...hookFiles(spec, b, consulFor(ctx)));
  if (spec.component === 'todo-api') addClient(ops, spec.name, clientSource(ctx));
  if (ctx.supervisor.vendor && ops.some((op) => op.path === `${spec.name}/Dockerfile`)) {
    if (ctx.vendorFrom === undefined) throw new Error('vendoring needs the binary to copy (vendorFrom)');
    ops.push({ path: `${spec.name}/${VENDORED_BINARY}`, content: '', copyFrom: ctx.vendorFrom, mode: 0o755, action: 'create' });
  }
  return ops;
}

/** Adds autopilot-pattern-client to the app's package.json and lockfile (and its files, when vendored). */
function addClient(ops: FileOp[], service: string, client: ClientSource): void {
  const pkg = ops.find((op) => op.path === `${service}/package.json`)!;
  const lock = ops.find((op) => op.path === `${service}/package-lock.json`)!;
  const texts = withClient(pkg.content, lock.content, client);
  pkg.content = texts.pkg;
  lock.content = texts.lock;
  ops.push(...clientVendorOps(service, client));
}

/** The body of the service's docker-compose entry, as YAML text. */
export function composeFragment(spec: ServiceSpec, ctx: RenderContext, legacy = false): string {
  // The legacy (version 1) format has `links` where the current one has `depends_on`.
  return renderTemplate(spec.component, 'compose.yml.ejs', { ...contextLocals(ctx, spec), service: { ...spec, backends: spec.backends ?? [] }, legacy });
}
