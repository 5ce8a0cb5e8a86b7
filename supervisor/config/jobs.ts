/** Validation of `jobs[]` (ContainerPilot v3 jobs/config.go rules, plus the health extensions). */
import type { JobConfig, Restarts, ServiceConfig, WhenConfig } from './model.js';
import { describe } from './duration.js';
import { child, Issues, readBool, readDuration, readExec, readInt, readObject, readString, readStrings } from './fields.js';
import { readRaw, validateHealth } from './health.js';
import { validateInterfaces } from './interfaces.js';
import { validateService, validateServiceField } from './service.js';

const JOB_KEYS = ['name', 'exec', 'port', 'initial_status', 'interfaces', 'tags', 'consul', 'health', 'timeout', 'restarts', 'stopTimeout', 'when', 'logging'];
const WHEN_KEYS = ['interval', 'source', 'once', 'each', 'timeout', 'all'];

/** Event names ContainerPilot accepts in `when.once` / `when.each`. */
export const EVENT_NAMES = ['exitSuccess', 'exitFailed', 'stopping', 'stopped', 'healthy', 'unhealthy', 'changed', 'timerExpired', 'enterMaintenance', 'exitMaintenance', 'error', 'quit', 'startup', 'shutdown', 'signal'];
const GLOBAL_EVENTS = ['startup', 'shutdown', 'enterMaintenance', 'exitMaintenance'];
const SIGNALS = ['SIGHUP', 'SIGUSR2'];

/** Consul service names: ContainerPilot's services.ValidateName. */
export const SERVICE_NAME = /^[a-z][a-zA-Z0-9-]+$/;
export const SERVICE_NAME_RULE = 'must start with a lower-case letter and contain only letters, digits and "-" (at least 2 characters), as Consul service names require';

export function validateJobs(iss: Issues, value: unknown, hasConsul: boolean): JobConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    iss.error('jobs', `expected an array of jobs, got ${describe(value)}`);
    return [];
  }
  const jobs: JobConfig[] = [];
  const seen = new Map<string, number>();
  value.forEach((raw, i) => {
    const named = raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>)['name'] === 'string' ? (raw as Record<string, string>)['name'] : undefined;
    const path = named ? `jobs[${i}] (${JSON.stringify(named)})` : `jobs[${i}]`;
    const job = validateJob(iss, path, raw, hasConsul);
    if (!job) return;
    const prev = seen.get(job.name);
    // ContainerPilot runs both; their events share one source, so a `when` on this name fires
    // for either (and ContainerPilot even takes one's exit for the other's).
    if (prev !== undefined) iss.warn(child(path, 'name'), `duplicate job name ${JSON.stringify(job.name)} (also jobs[${prev}]): both run, as in ContainerPilot, but their events share the source ${JSON.stringify(job.name)}, so a job waiting on it starts on either's; and with a port, both register the service ID ${JSON.stringify(`${job.name}-<hostname>`)}`);
    else seen.set(job.name, i);
    jobs.push(job);
  });
  return jobs;
}

function validateJob(iss: Issues, path: string, value: unknown, hasConsul: boolean): JobConfig | undefined {
  const before = iss.errors.length;
  const o = readObject(iss, path, value, JOB_KEYS, { restart: 'restarts' });
  if (!o) return undefined;
  const exec = o['exec'] !== undefined ? readExec(iss, child(path, 'exec'), o['exec']) : undefined;
  let name = o['name'] !== undefined ? readString(iss, child(path, 'name'), o['name'], { strict: true }) : undefined;
  // A name of the wrong type has its error already; naming the job after its executable would add noise.
  if (name === '' || (name === undefined && o['name'] === undefined)) {
    // ContainerPilot names an unnamed job after its executable.
    if (exec) {
      name = exec[0]!;
      // Written but empty is usually an unset variable (`name: "{{ .SERVICE }}"`).
      if (o['name'] !== undefined) iss.warn(child(path, 'name'), `is empty (an unset variable?): the job is named after its executable, ${JSON.stringify(name)} (ContainerPilot 3.8 refuses a blank name)`);
    } else if (o['name'] === undefined || name === '') iss.error(child(path, 'name'), 'is required (a job without "exec" needs a name)');
  }

  const port = o['port'] !== undefined ? readInt(iss, child(path, 'port'), o['port'], { min: 0, max: 65535 }) : 0;
  const when = validateWhen(iss, child(path, 'when'), o['when']);
  const intervalMs = when?.kind === 'interval' ? when.intervalMs : 0;

  let timeoutMs = intervalMs; // periodic tasks time out at their interval unless told otherwise
  if (o['timeout'] !== undefined) timeoutMs = readDuration(iss, child(path, 'timeout'), o['timeout'], { minMs: 1 }) ?? 0;
  const stopTimeoutMs = o['stopTimeout'] !== undefined ? (readDuration(iss, child(path, 'stopTimeout'), o['stopTimeout'], { minMs: 0 }) ?? 0) : 0;
  const restarts = validateRestarts(iss, child(path, 'restarts'), o['restarts'], when);

  const health = o['health'] !== undefined ? validateHealth(iss, child(path, 'health'), o['health'], !!port) : undefined;
  let service: ServiceConfig | undefined;
  if (port) {
    if (name !== undefined && !SERVICE_NAME.test(name)) iss.error(child(path, 'name'), `${JSON.stringify(name)} ${SERVICE_NAME_RULE}`);
    if (o['health'] === undefined) iss.error(child(path, 'health'), `is required when "port" is set (the health check keeps the Consul registration alive)`);
    if (!hasConsul) iss.error(child(path, 'port'), 'a job with a port is advertised in Consul, but the config has no top-level "consul"');
    service = validateService(iss, path, o, port);
  } else {
    for (const key of ['consul', 'initial_status'] as const) {
      if (o[key] !== undefined) validateServiceField(iss, path, key, o[key], false);
    }
  }
  if (o['interfaces'] !== undefined && !port) validateInterfaces(iss, child(path, 'interfaces'), o['interfaces']);
  if (o['tags'] !== undefined && !port) readStrings(iss, child(path, 'tags'), o['tags']);

  const logging = o['logging'] !== undefined ? readRaw(iss, child(path, 'logging'), o['logging']) : false;
  if (iss.errors.length > before || name === undefined || !when) return undefined;
  const job: JobConfig = { name, timeoutMs, stopTimeoutMs, restarts, when, logging: { raw: logging } };
  if (exec) job.exec = exec;
  if (health) job.health = health;
  if (service) job.service = service;
  return job;
}

function validateWhen(iss: Issues, path: string, value: unknown): WhenConfig | undefined {
  const startup: WhenConfig = { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 };
  if (value === undefined || value === null) return startup;
  const o = readObject(iss, path, value, WHEN_KEYS);
  if (!o) return undefined;
  if (o['interval'] !== undefined) {
    const extra = ['source', 'once', 'each', 'timeout', 'all'].filter((k) => o[k] !== undefined);
    if (extra.length) {
      iss.error(path, `"interval" cannot be combined with ${extra.map((k) => `"${k}"`).join(', ')} (an interval job runs on a timer)`);
      return undefined;
    }
    const intervalMs = readDuration(iss, child(path, 'interval'), o['interval'], { minMs: 1 });
    return intervalMs === undefined ? undefined : { kind: 'interval', intervalMs };
  }
  if (o['once'] !== undefined && o['each'] !== undefined) {
    iss.error(path, '"once" and "each" are exclusive');
    return undefined;
  }
  const before = iss.errors.length;
  let sources: string[] | undefined;
  if (o['source'] !== undefined) {
    sources = readStrings(iss, child(path, 'source'), o['source']);
    if (sources && sources.length === 0) iss.error(child(path, 'source'), 'must name at least one event source');
    sources?.forEach((s, i) => {
      if (s.trim() === '') iss.error(Array.isArray(o['source']) ? `${child(path, 'source')}[${i}]` : child(path, 'source'), 'must not be empty');
    });
  }
  // Extension: `all: true` waits for the event from every source (a dependant of two backends),
  // where several sources alone start the job on the first of them.
  const all = o['all'] !== undefined ? readBool(iss, child(path, 'all'), o['all']) : undefined;
  if (all && o['once'] === undefined) iss.error(child(path, 'all'), `works with "once" only: the job starts once every source has emitted that event`);
  const timeoutMs = o['timeout'] !== undefined ? readDuration(iss, child(path, 'timeout'), o['timeout'], { minMs: 0 }) : 0;
  const modeKey = o['once'] !== undefined ? 'once' : o['each'] !== undefined ? 'each' : undefined;
  let event: string | undefined;
  if (modeKey) {
    event = readString(iss, child(path, modeKey), o[modeKey]);
    if (event !== undefined && !EVENT_NAMES.includes(event)) {
      iss.error(child(path, modeKey), `${JSON.stringify(event)} is not an event; expected one of ${EVENT_NAMES.join(', ')}`);
    }
  }
  if (iss.errors.length > before) return undefined;
  const isSignal = !!sources && sources.length > 0 && sources.every((s) => SIGNALS.includes(s));
  if (!modeKey) {
    if (isSignal) return { kind: 'event', sources: sources!, event: 'signal', mode: 'each', timeoutMs: timeoutMs ?? 0 };
    iss.error(path, sources ? `needs "once" or "each" naming the event from ${JSON.stringify(sources.join(', '))} that starts the job` : 'needs "interval", or "source" with "once" or "each"');
    return undefined;
  }
  if (!sources) {
    if (!GLOBAL_EVENTS.includes(event!)) {
      iss.error(child(path, 'source'), `is required with "${modeKey}: ${event}" (the job or watch.<name> that emits it)`);
      return undefined;
    }
    sources = ['global'];
  }
  if (all && sources.some((s) => SIGNALS.includes(s))) {
    iss.error(child(path, 'all'), `cannot wait for ${sources.filter((s) => SIGNALS.includes(s)).join(', ')}: a signal starts its job every time it comes`);
    return undefined;
  }
  const when: WhenConfig = { kind: 'event', sources: all ? [...new Set(sources)] : sources, event: event!, mode: modeKey, timeoutMs: timeoutMs ?? 0 };
  if (all) when.all = true;
  return when;
}

function validateRestarts(iss: Issues, path: string, value: unknown, when: WhenConfig | undefined): Restarts {
  if (value === undefined) return when?.kind === 'interval' ? 'unlimited' : 0;
  const expected = 'expected a non-negative integer, "unlimited" or "never"';
  if (value === 'unlimited') {
    if (when?.kind === 'event' && when.mode === 'each') {
      iss.error(path, '"unlimited" may not be used with "when.each": every event would start another process that restarts forever');
    }
    return 'unlimited';
  }
  if (value === 'never') return 0;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  iss.error(path, `${expected}, got ${describe(value)}`);
  return 0;
}
