/**
 * ContainerPilot 2.x configs, translated to a v3 config tree (then validated like any v3 config).
 * The mapping follows ContainerPilot's v3 migration: services become jobs with a port and a
 * health check (`poll` -> `health.interval`), backends become watches plus an `onChange-<name>`
 * job on `watch.<name>` `changed`, preStart becomes a job the others wait for (`exitSuccess`),
 * preStop/postStop become jobs on the main job's `stopping`/`stopped`, coprocesses become
 * restarting jobs, tasks become interval jobs and telemetry sensors become metrics plus an
 * interval job each. `notes` explains each translated piece (autopilot migrate writes them as comments).
 */
import { describe } from './duration.js';
import { child, Issues, readObject, type Raw } from './fields.js';

const V2_ONLY = ['services', 'backends', 'coprocesses', 'tasks', 'preStart', 'preStop', 'postStop', 'etcd', 'command'];
const V2_TOP = ['consul', 'etcd', 'logging', 'stopTimeout', 'control', 'preStart', 'preStop', 'postStop', 'services', 'backends', 'telemetry', 'tasks', 'coprocesses', 'command'];

export interface Translation {
  tree: Raw;
  /** Comments keyed by the v3 path they describe ("" for the whole file, "jobs[2]", "watches[0]", "telemetry"). */
  notes: Map<string, string[]>;
  /**
   * Where each translated job or watch came from: "jobs[1]" -> the user's 2.x paths, keyed by
   * the v3 path below it ("" for the job itself, ".name", ".health.interval"...), so an error
   * in the translation can name the field the user wrote (`services[1].name`, `...poll`).
   */
  origins: Map<string, Record<string, string>>;
}

/** The v3 fields of a job translated from a 2.x service, and the service's keys they came from. */
const SERVICE_FIELDS: Record<string, string> = {
  '.name': 'name', '.port': 'port', '.initial_status': 'initial_status', '.interfaces': 'interfaces', '.tags': 'tags', '.consul': 'consul',
  '.health': '', '.health.exec': 'health', '.health.interval': 'poll', '.health.ttl': 'ttl', '.health.timeout': 'timeout',
};

/** The user's path for a v3 path (`jobs[1] ("x").health.interval`), or undefined when it has no 2.x counterpart. */
export function originalPath(origins: Translation['origins'], v3: string): string | undefined {
  const m = /^((?:jobs|watches)\[\d+\])(?: \("(?:[^"\\]|\\.)*"\))?(.*)$/.exec(v3);
  if (!m) return undefined;
  const fields = origins.get(m[1]!);
  if (!fields) return undefined;
  let rest = m[2]!;
  if (fields[rest] !== undefined) return fields[rest];
  // `.interfaces[0]`, `.tags[2]`: below a field kept under the same name.
  const base = Object.keys(fields).filter((k) => k !== '' && rest.startsWith(k) && /^[.[]/.test(rest.slice(k.length))).sort((a, b) => b.length - a.length)[0];
  if (base === undefined) return undefined;
  rest = rest.slice(base.length);
  return fields[base] + rest;
}

/** A 2.x config has 2.x-only top-level keys, or telemetry sensors. */
export function isV2Config(tree: unknown): boolean {
  if (!tree || typeof tree !== 'object' || Array.isArray(tree)) return false;
  const t = tree as Raw;
  if (V2_ONLY.some((k) => k in t)) return true;
  const tel = t['telemetry'];
  return !!tel && typeof tel === 'object' && 'sensors' in (tel as Raw);
}

export function translateV2(iss: Issues, tree: Raw): Translation | undefined {
  const mixed = ['jobs', 'watches'].filter((k) => k in tree);
  if (mixed.length) {
    const v2 = V2_ONLY.filter((k) => k in tree);
    iss.error('', `mixes ContainerPilot 2.x keys (${v2.join(', ') || 'telemetry.sensors'}) with 3.x keys (${mixed.join(', ')}); use one format`);
    return undefined;
  }
  if ('etcd' in tree) {
    iss.error('etcd', 'the etcd discovery backend of ContainerPilot 2.x is not supported; use "consul"');
    return undefined;
  }
  const top = readObject(iss, '', tree, V2_TOP);
  if (!top) return undefined;
  // The steps run in this order: job names are made unique in it (`name-2`).
  const t = new V2Translation(iss, top);
  t.preStart();
  t.services();
  t.coprocesses();
  t.tasks();
  t.backends();
  t.telemetry();
  t.stopHooks();
  return t.result();
}

/** One translation in progress: the v3 jobs, watches and telemetry built so far, with notes and origins. */
class V2Translation {
  private readonly out: Raw = {};
  private readonly notes = new Map<string, string[]>();
  private readonly origins = new Map<string, Record<string, string>>();
  private readonly jobs: Raw[] = [];
  private readonly jobNotes: string[][] = [];
  private readonly watches: Raw[] = [];
  private readonly names = new Set<string>();
  private telemetryTree: Raw | undefined;
  /** The preStart job, which the other jobs wait for. */
  private preStartJob: Raw | undefined;
  /** The main application: the first service, or the bare `command`. */
  private main: Raw | undefined;

  constructor(
    private readonly iss: Issues,
    private readonly top: Raw,
  ) {
    for (const k of ['consul', 'logging', 'stopTimeout', 'control']) if (top[k] !== undefined) this.out[k] = top[k];
    this.notes.set('', ['Translated from a ContainerPilot 2.x config by `autopilot migrate`.']);
  }

  preStart(): void {
    const top = this.top;
    if (top['preStart'] !== undefined) this.origins.set(`jobs[${this.jobs.length}]`, { '': 'preStart', '.exec': 'preStart' });
    this.preStartJob = top['preStart'] !== undefined ? this.addJob({ name: this.unique('preStart'), exec: top['preStart'] }, ['from "preStart": the other jobs wait for it to exit successfully']) : undefined;
  }

  services(): void {
    const { iss, top } = this;
    list(iss, 'services', top['services']).forEach((raw, i) => {
      const path = label('services', i, raw);
      const s = readObject(iss, path, raw, ['name', 'port', 'health', 'poll', 'ttl', 'timeout', 'interfaces', 'tags', 'consul', 'initial_status']);
      if (!s) return;
      const job: Raw = { name: typeof s['name'] === 'string' ? this.unique(s['name']) : s['name'] };
      const note = [`from ${path}: advertised on its port, health checked every "poll" seconds`];
      if (i === 0 && top['command'] !== undefined) {
        job['exec'] = top['command'];
        note.push('runs the 2.x "command" (the main application)');
      }
      for (const k of ['port', 'initial_status', 'interfaces', 'tags', 'consul']) if (s[k] !== undefined) job[k] = s[k];
      if (s['health'] !== undefined || s['poll'] !== undefined || s['ttl'] !== undefined) {
        const health: Raw = {};
        if (s['health'] !== undefined) health['exec'] = s['health'];
        if (s['poll'] !== undefined) health['interval'] = s['poll'];
        if (s['ttl'] !== undefined) health['ttl'] = s['ttl'];
        if (s['timeout'] !== undefined) health['timeout'] = s['timeout'];
        job['health'] = health;
      }
      Object.assign(job, this.afterPreStart());
      this.main ??= job;
      this.origins.set(`jobs[${this.jobs.length}]`, fieldsOf(path, { ...SERVICE_FIELDS, ...(job['exec'] !== undefined ? { '.exec': '/command' } : {}) }));
      this.addJob(job, note);
    });
    if (!this.main && top['command'] !== undefined) {
      this.origins.set(`jobs[${this.jobs.length}]`, { '': 'command', '.exec': 'command' });
      this.main = this.addJob({ name: this.unique('app'), exec: top['command'], ...this.afterPreStart() }, ['from "command": the main application']);
    }
  }

  coprocesses(): void {
    const iss = this.iss;
    list(iss, 'coprocesses', this.top['coprocesses']).forEach((raw, i) => {
      const path = label('coprocesses', i, raw);
      const c = readObject(iss, path, raw, ['name', 'command', 'restarts']);
      if (!c) return;
      const job: Raw = { name: this.unique(nameOr(c['name'], c['command'], 'coprocess')), exec: c['command'] };
      if (c['command'] === undefined) iss.error(child(path, 'command'), 'is required');
      if (c['restarts'] !== undefined) job['restarts'] = c['restarts'];
      this.origins.set(`jobs[${this.jobs.length}]`, fieldsOf(path, { '.name': 'name', '.exec': 'command', '.restarts': 'restarts' }));
      this.addJob(Object.assign(job, this.afterPreStart()), [`from ${path}`]);
    });
  }

  tasks(): void {
    const iss = this.iss;
    list(iss, 'tasks', this.top['tasks']).forEach((raw, i) => {
      const path = label('tasks', i, raw);
      const t = readObject(iss, path, raw, ['name', 'command', 'frequency', 'timeout']);
      if (!t) return;
      if (t['command'] === undefined) iss.error(child(path, 'command'), 'is required');
      if (t['frequency'] === undefined) iss.error(child(path, 'frequency'), 'is required');
      const job: Raw = { name: this.unique(nameOr(t['name'], t['command'], 'task')), exec: t['command'], when: { interval: t['frequency'] } };
      if (t['timeout'] !== undefined) job['timeout'] = t['timeout'];
      this.origins.set(`jobs[${this.jobs.length}]`, fieldsOf(path, { '.name': 'name', '.exec': 'command', '.when.interval': 'frequency', '.timeout': 'timeout' }));
      this.addJob(job, [`from ${path}: "frequency" became "when.interval"${this.preStartJob ? ' (it no longer waits for preStart)' : ''}`]);
    });
  }

  backends(): void {
    const iss = this.iss;
    list(iss, 'backends', this.top['backends']).forEach((raw, i) => {
      const path = label('backends', i, raw);
      const b = readObject(iss, path, raw, ['name', 'poll', 'onChange', 'tag', 'dc', 'timeout']);
      if (!b) return;
      const watch: Raw = { name: b['name'], interval: b['poll'] };
      if (b['poll'] === undefined) iss.error(child(path, 'poll'), 'is required');
      for (const k of ['tag', 'dc']) if (b[k] !== undefined) watch[k] = b[k];
      this.notes.set(`watches[${this.watches.length}]`, [`from ${path}: "poll" became "interval"`]);
      this.origins.set(`watches[${this.watches.length}]`, fieldsOf(path, { '.name': 'name', '.interval': 'poll', '.tag': 'tag', '.dc': 'dc' }));
      this.watches.push(watch);
      if (b['onChange'] !== undefined) {
        // A name of the wrong type is reported on the watch; the job keeps a readable stand-in.
        const name = typeof b['name'] === 'string' ? b['name'] : String(i);
        const job: Raw = { name: this.unique(`onChange-${name}`), exec: b['onChange'], when: { source: `watch.${name}`, each: 'changed' } };
        if (b['timeout'] !== undefined) job['timeout'] = b['timeout'];
        this.origins.set(`jobs[${this.jobs.length}]`, fieldsOf(path, { '.exec': 'onChange', '.timeout': 'timeout' }));
        this.addJob(job, [`from ${path}.onChange: runs each time the watch sees a change`]);
      }
    });
  }

  telemetry(): void {
    const iss = this.iss;
    if (this.top['telemetry'] === undefined) return;
    const t = readObject(iss, 'telemetry', this.top['telemetry'], ['port', 'interfaces', 'tags', 'sensors', 'metrics']);
    if (!t) return;
    const tel: Raw = {};
    for (const k of ['port', 'interfaces', 'tags']) if (t[k] !== undefined) tel[k] = t[k];
    const metrics: Raw[] = Array.isArray(t['metrics']) ? [...(t['metrics'] as Raw[])] : [];
    list(iss, 'telemetry.sensors', t['sensors']).forEach((raw, i) => {
      const path = label('telemetry.sensors', i, raw);
      const s = readObject(iss, path, raw, ['namespace', 'subsystem', 'name', 'help', 'type', 'poll', 'check', 'timeout']);
      if (!s) return;
      const metric: Raw = {};
      for (const k of ['namespace', 'subsystem', 'name', 'help', 'type']) if (s[k] !== undefined) metric[k] = s[k];
      metrics.push(metric);
      if (s['check'] === undefined) iss.error(child(path, 'check'), 'is required');
      if (s['poll'] === undefined) iss.error(child(path, 'poll'), 'is required');
      const full = [s['namespace'], s['subsystem'], s['name']].filter((x) => typeof x === 'string' && x).join('_');
      const job: Raw = { name: this.unique(`sensor-${full.replace(/_/g, '-') || i}`), exec: s['check'], when: { interval: s['poll'] } };
      if (s['timeout'] !== undefined) job['timeout'] = s['timeout'];
      this.origins.set(`jobs[${this.jobs.length}]`, fieldsOf(path, { '.exec': 'check', '.when.interval': 'poll', '.timeout': 'timeout' }));
      this.addJob(job, [`from ${path}: runs every "poll" seconds`, `2.x recorded the check's output as the metric value; the command must now report it itself (autopilot ctl putmetric ${full || '<name>'}=<value>)`]);
    });
    tel['metrics'] = metrics;
    this.telemetryTree = tel;
    this.notes.set('telemetry', ['from "telemetry": each 2.x sensor is a metric here plus a job below']);
  }

  /** preStop and postStop: jobs on the main job's `stopping` / `stopped` (or the shutdown without one). */
  stopHooks(): void {
    const mainName = this.main ? String(this.main['name']) : undefined;
    for (const [key, event] of [['preStop', 'stopping'], ['postStop', 'stopped']] as const) {
      if (this.top[key] === undefined) continue;
      const when = mainName ? { source: mainName, once: event } : { source: 'global', once: 'shutdown' };
      this.origins.set(`jobs[${this.jobs.length}]`, { '': key, '.exec': key });
      this.addJob({ name: this.unique(key), exec: this.top[key], when }, [`from "${key}": runs when ${mainName ? `"${mainName}" is ${event}` : 'ContainerPilot shuts down'}`]);
    }
  }

  result(): Translation | undefined {
    const { out, notes } = this;
    this.jobNotes.forEach((n, i) => notes.set(`jobs[${i}]`, n));
    out['jobs'] = this.jobs;
    if (this.watches.length) out['watches'] = this.watches;
    if (this.telemetryTree) out['telemetry'] = this.telemetryTree;
    return this.iss.errors.length ? undefined : { tree: out, notes, origins: this.origins };
  }

  private unique(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}-${n}`;
    this.names.add(name);
    return name;
  }

  private addJob(job: Raw, note: string[]): Raw {
    this.jobs.push(job);
    this.jobNotes.push(note);
    return job;
  }

  private afterPreStart(): Raw {
    return this.preStartJob ? { when: { source: this.preStartJob['name'], once: 'exitSuccess' } } : {};
  }
}

/** The 2.x path of each v3 field: `map` is v3 suffix -> 2.x key ('' the item itself, '/key' a top-level key). */
function fieldsOf(path: string, map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { '': path };
  for (const [v3, v2] of Object.entries(map)) out[v3] = v2 === '' ? path : v2.startsWith('/') ? v2.slice(1) : child(path, v2);
  return out;
}

function list(iss: Issues, path: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  iss.error(path, `expected an array, got ${describe(value)}`);
  return [];
}

function label(path: string, i: number, raw: unknown): string {
  const name = raw && typeof raw === 'object' ? (raw as Raw)['name'] : undefined;
  return typeof name === 'string' && name !== '' ? `${path}[${i}] (${JSON.stringify(name)})` : `${path}[${i}]`;
}

/** A 2.x coprocess or task without a name is named after its executable. */
function nameOr(name: unknown, command: unknown, fallback: string): string {
  if (typeof name === 'string' && name) return name;
  const exe = typeof command === 'string' ? command.trim().split(/\s+/)[0] : Array.isArray(command) ? command[0] : undefined;
  const base = typeof exe === 'string' ? exe.split('/').pop() : undefined;
  return base || fallback;
}
