/**
 * The app side of `add backend <name> --service <app>` for a Node service: a module
 * `<app>/<name>.js` that finds <name> in Consul with autopilot-pattern-client and talks to it with
 * the official driver, a route `GET /<name>` in the app's index.js, the driver and the client in
 * its package.json and lockfile, and `npm ci` in its Dockerfile. Pure, like every planner.
 * Databases without a module here (postgres, mysql, external ones) keep the hook script only.
 */
import type { DatabaseKind } from '../blueprints/index.js';
import { clientVendorOps, isVendoredClient, withClient, type ClientSource } from './client-source.js';
import { renderTemplate } from './render.js';
import { readTemplate } from './template-files.js';
import type { AddResult } from './plan-add.js';
import type { FileOp, ReadFile } from './types.js';

/** The driver each kind's module uses, and the lockfile (a template) its entries come from. */
const DRIVERS: Partial<Record<DatabaseKind, { name: string; lock: [component: string, file: string] }>> = {
  mongo: { name: 'mongodb', lock: ['todo-api', 'package-lock.json'] },
  redis: { name: 'redis', lock: ['node-service', 'redis-package-lock.json'] },
};

export const hasBackendModule = (kind: DatabaseKind | undefined): kind is DatabaseKind => kind !== undefined && DRIVERS[kind] !== undefined;

export interface BackendAppArgs {
  service: string;
  backend: string;
  kind: DatabaseKind;
  /** The Consul address the app's client uses (the service's containerpilot.json5 `consul`). */
  consul: string;
  client: ClientSource;
}

export function planBackendApp(read: ReadFile, a: BackendAppArgs): AddResult {
  const ops: FileOp[] = [];
  const notes: string[] = [];
  const put = (path: string, content: string): void => {
    const previous = read(path);
    if (previous === content) return;
    ops.push(previous === undefined ? { path, content, action: 'create' } : { path, content, action: 'update', previous });
  };
  const modulePath = `${a.service}/${a.backend}.js`;
  if (read(modulePath) === undefined) put(modulePath, renderTemplate('node-service', `backend-${a.kind}.js.ejs`, { service: { name: a.service }, backend: a.backend }));
  else notes.push(`${modulePath} already exists`);

  const indexPath = `${a.service}/index.js`;
  const index = read(indexPath);
  const routed = index === undefined ? undefined : requireBackend(index, a.backend);
  if (routed === undefined) notes.push(`${indexPath} has no \`const BACKENDS = [...]\` line: require('./${a.backend}.js') there, call its start() once and its visit() for a request`);
  else put(indexPath, routed);

  const deps = withDriver(read, a);
  put(`${a.service}/package.json`, deps.pkg);
  put(`${a.service}/package-lock.json`, deps.lock);
  for (const op of clientVendorOps(a.service, a.client)) if (read(op.path) === undefined) ops.push(op);
  if (read(`${a.service}/.dockerignore`) === undefined) put(`${a.service}/.dockerignore`, readTemplate('todo-api', 'dockerignore'));

  const dockerPath = `${a.service}/Dockerfile`;
  const dockerfile = read(dockerPath);
  const installed = dockerfile === undefined ? undefined : withInstall(dockerfile, a);
  if (installed === undefined) notes.push(`${dockerPath}: install the app's dependencies in the image (\`npm ci --omit=dev\` in /opt/${a.service}) and set CONSUL=${a.consul}`);
  else put(dockerPath, installed);
  return { ops, notes };
}

/** index.js with `require('./<backend>.js')` in its BACKENDS list, or undefined when it has none. */
function requireBackend(index: string, backend: string): string | undefined {
  const line = /^const BACKENDS = \[(.*)\];$/m.exec(index);
  if (!line) return undefined;
  const entry = `require('./${backend}.js')`;
  const items = line[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.includes(entry)) return index;
  return index.slice(0, line.index) + `const BACKENDS = [${[...items, entry].join(', ')}];` + index.slice(line.index + line[0].length);
}

/** The app's package.json and lockfile (made when it has none) with the driver and the client. */
function withDriver(read: ReadFile, a: BackendAppArgs): { pkg: string; lock: string } {
  const driver = DRIVERS[a.kind]!;
  const source = JSON.parse(readTemplate(...driver.lock)) as Lockfile;
  const pkg = JSON.parse(read(`${a.service}/package.json`) ?? JSON.stringify({ name: a.service, version: '1.0.0', private: true, main: 'index.js', engines: { node: '>=20' } })) as { name: string; version: string; dependencies?: Record<string, string> };
  const lock = JSON.parse(read(`${a.service}/package-lock.json`) ?? JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: { '': { name: pkg.name, version: pkg.version, engines: { node: '>=20' } } } })) as Lockfile;
  const range = source.packages['']!.dependencies![driver.name]!;
  pkg.dependencies = { ...pkg.dependencies, [driver.name]: pkg.dependencies?.[driver.name] ?? range };
  const root = lock.packages['']!;
  root.dependencies = { ...root.dependencies, [driver.name]: root.dependencies?.[driver.name] ?? range };
  // The driver's tree as its lockfile has it; an entry the app's lockfile already holds stays.
  for (const [path, entry] of Object.entries(source.packages)) if (path !== '' && lock.packages[path] === undefined) lock.packages[path] = entry;
  return withClient(JSON.stringify(pkg), JSON.stringify(lock), a.client);
}

interface Lockfile {
  packages: Record<string, { dependencies?: Record<string, string>; [key: string]: unknown }>;
  [key: string]: unknown;
}

/**
 * The Dockerfile with the dependencies installed before the app's files are copied (so the layer
 * is rebuilt only when the lockfile changes), and CONSUL set for the client; undefined when it has
 * no `COPY` of the app to put that before. An image that already runs `npm ci` is left as it is.
 */
function withInstall(dockerfile: string, a: BackendAppArgs): string | undefined {
  if (/\bnpm (ci|install)\b/.test(dockerfile)) return dockerfile;
  const dir = `/opt/${a.service}`;
  // The last stage's copy of the app (a vendored build copies it into a first stage too).
  const copy = [...dockerfile.matchAll(new RegExp(`^COPY (\\.|--from=app ${dir}/?) ${dir}/?\\s*$`, 'gm'))].pop();
  if (!copy) return undefined;
  const lines = [
    '# The registry `npm ci` installs the dependencies from (a mirror, a private registry).',
    'ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/',
    `WORKDIR ${dir}`,
    'COPY package.json package-lock.json ./',
    ...(isVendoredClient(a.client) ? ['# autopilot-pattern-client, vendored (a development build of autopilot wrote this).', 'COPY vendor/ ./vendor/'] : []),
    'RUN npm ci --omit=dev',
    `ENV CONSUL=${a.consul}`,
  ];
  return dockerfile.slice(0, copy.index) + lines.join('\n') + '\n' + dockerfile.slice(copy.index);
}
