/**
 * `autopilot add backend <name>` as a whole: creates <name> as a supervised database when the
 * project lacks it (unless it is `--external`), then makes each dependant watch it, run its hook
 * when it changes, and start only once it is healthy. Pure, like every planner.
 */
import { DATABASES, DATABASE_KINDS, type DatabaseKind, type ServiceSpec } from '../blueprints/index.js';
import { hasBackendModule, planBackendApp } from './backend-app.js';
import { clientSource, composeFragment, consulFor, dataVolume, serviceFiles, type RenderContext } from './components.js';
import { addComposeService, isLegacyCompose } from './compose-patch.js';
import { addComposeVolume } from './compose-volumes.js';
import { GeneratorError } from './errors.js';
import { addJobMember, replaceJobMember } from './json5-job-patch.js';
import { parseJson5 } from './json5-patch.js';
import { planAddBackend, type AddResult } from './plan-add.js';
import { checkName, detectComponent, readProject, readServiceConfig } from './project.js';
import type { FileOp, ReadFile } from './types.js';

export interface BackendArgs {
  name: string;
  /** The services that depend on the backend. */
  dependants: string[];
  /** The database to create when the project has no service <name> (default mongo). */
  image?: DatabaseKind;
  /** <name> lives outside the project: wire the dependants to it, create nothing. */
  external?: boolean;
  context: RenderContext;
}

/** The services that can depend on a backend: the apps (not nginx, consul or a database). */
export function appServices(read: ReadFile, except?: string): string[] {
  return readProject(read).services.filter((s) => s !== except && readServiceConfig(read, s) !== undefined && isApp(read, s));
}

function isApp(read: ReadFile, service: string): boolean {
  const component = detectComponent(read, service);
  return component === 'node-service' || component === 'todo-api';
}

export function planBackend(read: ReadFile, a: BackendArgs): AddResult {
  checkName('backend', a.name);
  const project = readProject(read);
  const exists = project.services.includes(a.name);
  if (exists && a.external) throw new GeneratorError(`--external: "${a.name}" is a service of this project (docker-compose.yml); leave --external out`);
  if (exists && a.image !== undefined && databaseImage(read, a.name) !== DATABASES[a.image].image) throw new GeneratorError(`--image ${a.image}: "${a.name}" is already a service of this project, and not ${a.image}; --image chooses the database \`add backend\` creates`);
  const plan = new Plan(read);
  if (!exists && !a.external) plan.add(createDatabase(read, a.name, a.image ?? 'mongo', a.context));
  const kind = a.external ? undefined : exists ? databaseKind(read, a.name) : a.image ?? 'mongo';
  for (const service of a.dependants) {
    if (!project.services.includes(service)) throw new GeneratorError(`unknown service "${service}" (docker-compose.yml has: ${project.services.join(', ') || 'none'})`);
    plan.add(planAddBackend(plan.reader, { name: a.name, service }));
    if (!isApp(plan.reader, service)) continue;
    plan.add(gate(plan.reader, service, a.name));
    if (hasBackendModule(kind) && detectComponent(plan.reader, service) === 'node-service') {
      plan.add(planBackendApp(plan.reader, { service, backend: a.name, kind, consul: consulFor(a.context), client: clientSource(a.context) }));
    }
  }
  if (a.dependants.length === 0) plan.notes.push(`no service depends on ${a.name} yet: add one with --service`);
  return plan.result();
}

function createDatabase(read: ReadFile, name: string, kind: DatabaseKind, ctx: RenderContext): AddResult {
  const project = readProject(read);
  if (isLegacyCompose(project.compose)) throw new GeneratorError(`docker-compose.yml has the legacy format (services at the top level), which has no named volumes: move the services under "services:" to add a database`);
  const db = DATABASES[kind];
  const spec: ServiceSpec = { name, component: 'database', database: kind, port: db.port };
  let compose = addComposeService(project.compose, name, composeFragment(spec, ctx));
  compose = addComposeVolume(compose, dataVolume(name));
  const ops: FileOp[] = [...serviceFiles(spec, ctx), { path: 'docker-compose.yml', content: compose, action: 'update', previous: project.compose }];
  return { ops, notes: [`${name} is ${kind} (${db.image}), its data in the volume ${dataVolume(name)}; clients connect to ${db.url}, <host> an instance of ${name} found in Consul`] };
}

/** The official image a service's Dockerfile builds from, when it is one of the databases. */
function databaseImage(read: ReadFile, service: string): string | undefined {
  const images = new Set(Object.values(DATABASES).map((db) => db.image));
  return [...(read(`${service}/Dockerfile`) ?? '').matchAll(/^FROM\s+(\S+)\s*$/gm)].map((m) => m[1]!).find((image) => images.has(image));
}

function databaseKind(read: ReadFile, service: string): DatabaseKind | undefined {
  const image = databaseImage(read, service);
  return DATABASE_KINDS.find((k) => DATABASES[k].image === image);
}

/**
 * The dependant's own job starts once the backend is healthy: `when: { source: "watch.<name>",
 * once: "healthy" }`. A second backend turns that into `source: [both], all: true` (a job has
 * one `when`, and several sources alone would start it on the first). A `when` the user wrote
 * for something else is left alone, and the note says so.
 */
function gate(read: ReadFile, service: string, backend: string): AddResult {
  const cfg = readServiceConfig(read, service)!;
  const source = `watch.${backend}`;
  const added = addJobMember(cfg.text, service, 'when', { source, once: 'healthy' }, cfg.path);
  if (added !== undefined) return { ops: [{ path: cfg.path, content: added, action: 'update', previous: cfg.text }], notes: [] };
  const jobs = (parseJson5(cfg.text, cfg.path) as { jobs: Array<{ name?: unknown; when?: unknown }> }).jobs;
  const current = jobs.find((j) => j.name === service)?.when;
  const waited = backendWaits(current);
  if (!waited) {
    const what = JSON.stringify((current as { source?: unknown } | null)?.source ?? current);
    return { ops: [], notes: [`${service} already has a "when" of its own (source ${what}), so it does not wait for ${backend} (${cfg.path})`] };
  }
  if (waited.includes(source)) return { ops: [], notes: [] };
  const sources = [...waited, source];
  const text = replaceJobMember(cfg.text, service, 'when', { source: sources, once: 'healthy', all: true }, cfg.path);
  return { ops: [{ path: cfg.path, content: text, action: 'update', previous: cfg.text }], notes: [`${service} starts once ${sources.join(' and ')} are all healthy`] };
}

/** The watches a `when` made by this command waits for, or undefined for any other `when`. */
function backendWaits(when: unknown): string[] | undefined {
  if (when === null || typeof when !== 'object') return undefined;
  const w = when as Record<string, unknown>;
  const keys = Object.keys(w).sort().join(',');
  const isWatch = (s: unknown): s is string => typeof s === 'string' && s.startsWith('watch.');
  if (w['once'] !== 'healthy') return undefined;
  if (keys === 'once,source' && isWatch(w['source'])) return [w['source']];
  if (keys === 'all,once,source' && w['all'] === true && Array.isArray(w['source']) && w['source'].every(isWatch)) return w['source'];
  return undefined;
}

/** Steps planned one after another, each reading the files as the steps before left them. */
class Plan {
  private readonly ops = new Map<string, FileOp>();
  readonly notes: string[] = [];
  readonly reader: ReadFile;

  constructor(private readonly read: ReadFile) {
    this.reader = (path) => this.ops.get(path)?.content ?? this.read(path);
  }

  add(step: AddResult): void {
    for (const op of step.ops) {
      const earlier = this.ops.get(op.path);
      this.ops.set(op.path, earlier ? { ...op, action: earlier.action, previous: earlier.previous } : op);
    }
    this.notes.push(...step.notes);
  }

  result(): AddResult {
    return { ops: [...this.ops.values()], notes: this.notes };
  }
}
