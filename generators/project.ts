/**
 * Reads what `add` needs to know about an existing project: its services, what each one is, and
 * the ports in use. Through a ReadFile, so planning stays free of disk access.
 */
import { DATABASES, type Component, type ServiceSpec } from '../blueprints/index.js';
import { composePublishedPorts, composeServiceNames } from './compose-patch.js';
import { GeneratorError } from './errors.js';
import { parseJson5 } from './json5-patch.js';
import { VENDORED_BINARY } from './supervisor-source.js';
import type { ReadFile } from './types.js';

export interface ProjectInfo {
  compose: string;
  services: string[];
}

export interface ServiceConfigInfo {
  path: string;
  text: string;
  jobs: string[];
  watches: string[];
  ports: number[];
  /** Its top-level `consul` address, when it is a string. */
  consul?: string;
}

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** A valid name close to `name` (`My App!` -> `my-app`), offered when `name` is refused. */
export function suggestName(name: string): string {
  const words = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const named = /^[a-z]/.test(words) ? words : `app-${words}`.replace(/-+$/, '');
  return named.slice(0, 63).replace(/-+$/, '');
}

/** Project, service and backend names become compose services, hostnames and Consul names. */
export function checkName(kind: string, name: string): void {
  if (!NAME_PATTERN.test(name)) throw new GeneratorError(`invalid ${kind} name "${name}": use lowercase letters, digits and "-", starting with a letter (e.g. "${suggestName(name)}")`);
}

export function readProject(read: ReadFile): ProjectInfo {
  const compose = read('docker-compose.yml');
  if (compose === undefined) throw new GeneratorError('no docker-compose.yml here: run this in a project made by `autopilot new` (or pass --dir)');
  return { compose, services: composeServiceNames(compose) };
}

/** The parsed outline of `<service>/containerpilot.json5`, or undefined when it has none. */
export function readServiceConfig(read: ReadFile, service: string): ServiceConfigInfo | undefined {
  const path = `${service}/containerpilot.json5`;
  const text = read(path);
  if (text === undefined) return undefined;
  const cfg = parseJson5(text, path) as { consul?: unknown; jobs?: Array<{ name?: unknown; port?: unknown }>; watches?: Array<{ name?: unknown }> };
  const jobs = Array.isArray(cfg.jobs) ? cfg.jobs : [];
  const watches = Array.isArray(cfg.watches) ? cfg.watches : [];
  return {
    path,
    text,
    jobs: jobs.map((j) => String(j.name)),
    watches: watches.map((w) => String(w.name)),
    ports: jobs.map((j) => Number(j.port)).filter((p) => Number.isInteger(p) && p > 0),
    consul: typeof cfg.consul === 'string' ? cfg.consul : undefined,
  };
}

/** What kind of service a generated directory holds, from its tell-tale files. */
export function detectComponent(read: ReadFile, service: string): Component {
  if (read(`${service}/nginx.conf.ctmpl`) !== undefined) return 'nginx';
  // The swarm target's Consul server image (generators/targets/swarm.ts).
  if (read(`${service}/check-raft.mjs`) !== undefined) return 'consul';
  if (read(`${service}/reconnect.js`) !== undefined) return 'todo-api';
  // A database is built FROM its official image (blueprints/databases.ts).
  const images = [...(read(`${service}/Dockerfile`) ?? '').matchAll(/^FROM\s+(\S+)\s*$/gm)].map((m) => m[1]);
  if (images.some((image) => Object.values(DATABASES).some((db) => db.image === image))) return 'database';
  return 'node-service';
}

/** Every port in use, with who uses it: container ports of every job and published host ports. */
export function usedPorts(read: ReadFile, project: ProjectInfo): Map<number, string> {
  const used = new Map<number, string>();
  for (const [port, svc] of composePublishedPorts(project.compose)) used.set(port, `${svc} (published)`);
  for (const svc of project.services) {
    let cfg: ServiceConfigInfo | undefined;
    try {
      cfg = readServiceConfig(read, svc);
    } catch {
      continue; // an unreadable config is reported by the command that edits it, not here
    }
    for (const p of cfg?.ports ?? []) if (!used.has(p)) used.set(p, svc);
  }
  return used;
}

export function specFor(read: ReadFile, service: string): ServiceSpec {
  return { name: service, component: detectComponent(read, service), port: 0 };
}

/** True when the project's images copy a vendored autopilot (`new --vendor`): `add` keeps to that. */
export function isVendored(read: ReadFile): boolean {
  const line = `COPY ${VENDORED_BINARY} /usr/local/bin/autopilot`;
  return readProject(read).services.some((s) => read(`${s}/Dockerfile`)?.split('\n').includes(line) === true);
}

/** True when the project runs a Consul agent in its containers (`new --consul-agent`): `add` keeps to that. */
export function usesConsulAgent(read: ReadFile): boolean {
  return readProject(read).services.some((s) => {
    try {
      return readServiceConfig(read, s)?.jobs.includes('consul-agent') === true;
    } catch {
      return false; // an unreadable config is reported by the command that edits it
    }
  });
}
