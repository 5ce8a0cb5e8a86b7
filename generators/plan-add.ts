/**
 * `autopilot add backend|service`: what an existing project needs changed. Pure: it reads the
 * project through a ReadFile and returns the file operations; running it on a project that
 * already has the change returns no operations.
 */
import { composeFragment, hookFiles, hookJob, nginxLocation, nginxUpstream, serviceFiles, watchEntry } from './components.js';
import { addComposeService, agentsCanJoin, isLegacyCompose } from './compose-patch.js';
import { GeneratorError } from './errors.js';
import { appendToTopLevelArray } from './json5-patch.js';
import { addNginxBackend } from './nginx-patch.js';
import { checkName, readProject, readServiceConfig, specFor, usedPorts } from './project.js';
import type { SupervisorSource } from './supervisor-source.js';
import type { FileOp, ReadFile } from './types.js';

export interface AddResult {
  ops: FileOp[];
  /** Human-readable facts for the summary ("the watch already exists"). */
  notes: string[];
}

function update(read: ReadFile, path: string, content: string): FileOp | undefined {
  const previous = read(path);
  return previous === content ? undefined : { path, content, action: 'update', previous };
}

export function planAddBackend(read: ReadFile, a: { name: string; service: string }): AddResult {
  checkName('backend', a.name);
  const project = readProject(read);
  if (!project.services.includes(a.service)) {
    throw new GeneratorError(`unknown service "${a.service}" (docker-compose.yml has: ${project.services.join(', ') || 'none'})`);
  }
  if (a.name === a.service) throw new GeneratorError(`service "${a.service}" cannot watch itself`);
  const cfg = readServiceConfig(read, a.service);
  if (!cfg) throw new GeneratorError(`service "${a.service}" has no ${a.service}/containerpilot.json5 to add a watch to`);
  const spec = specFor(read, a.service);
  const ops: FileOp[] = [];
  const notes: string[] = [];
  const jobName = `onchange-${a.name}`;
  if (cfg.jobs.includes(a.name)) throw new GeneratorError(`${cfg.path}: a job is already named "${a.name}"`);

  let text = cfg.text;
  if (cfg.watches.includes(a.name)) notes.push(`${cfg.path} already watches ${a.name}`);
  else text = appendToTopLevelArray(text, 'watches', watchEntry(a.name), cfg.path);
  if (cfg.jobs.includes(jobName)) notes.push(`${cfg.path} already has job ${jobName}`);
  else {
    const needsScript = hookFiles(spec, a.name).length > 0;
    const scriptDir = needsScript ? scriptHome(read, a.service, a.name, ops, notes) : undefined;
    text = appendToTopLevelArray(text, 'jobs', hookJob(spec, a.name, scriptDir, cfg.consul), cfg.path);
  }
  const cfgOp = update(read, cfg.path, text);
  if (cfgOp) ops.push(cfgOp);

  if (spec.component === 'nginx') {
    for (const [file, ctmpl] of [['nginx.conf.ctmpl', true], ['nginx.conf', false]] as const) {
      const path = `${a.service}/${file}`;
      const before = read(path);
      if (before === undefined) continue;
      const op = update(read, path, addNginxBackend(before, a.name, nginxUpstream(a.name, ctmpl), nginxLocation(a.name), path));
      if (op) ops.push(op);
      else notes.push(`${path} already routes /${a.name}`);
    }
  }
  for (const hook of hookFiles(spec, a.name, cfg.consul)) {
    if (read(hook.path) === undefined) ops.push(hook);
    else notes.push(`${hook.path} already exists`);
  }
  return { ops, notes };
}

/**
 * Where the service's image holds its hook scripts: the folder its Dockerfile copies the whole
 * service directory to (`COPY . /opt/hello/`), or else /etc/containerpilot, with a COPY line
 * added to the Dockerfile before its CMD so the script is in the image.
 */
function scriptHome(read: ReadFile, service: string, backend: string, ops: FileOp[], notes: string[]): string {
  const path = `${service}/Dockerfile`;
  const dockerfile = read(path);
  const copiedTo = dockerfile === undefined ? undefined : /^COPY\s+\.\s+(\/\S*)\s*$/m.exec(dockerfile)?.[1];
  if (copiedTo) return copiedTo.replace(/\/+$/, '');
  const home = '/etc/containerpilot';
  const script = `onchange-${backend}.sh`;
  if (dockerfile === undefined) {
    notes.push(`copy ${service}/${script} into its image at ${home}/${script}`);
  } else if (!dockerfile.includes(script)) {
    const line = `COPY ${script} ${home}/${script}\n`;
    const cmd = /^(CMD|ENTRYPOINT)\b/m.exec(dockerfile);
    const content = cmd ? dockerfile.slice(0, cmd.index) + line + dockerfile.slice(cmd.index) : `${dockerfile.replace(/\n?$/, '\n')}${line}`;
    ops.push({ path, content, action: 'update', previous: dockerfile });
  }
  return home;
}

export function planAddService(read: ReadFile, a: { name: string; port?: number; supervisor: SupervisorSource; vendorFrom?: string; project: string; consulAgent?: boolean }): AddResult {
  checkName('service', a.name);
  const project = readProject(read);
  if (project.services.includes(a.name)) throw new GeneratorError(`service "${a.name}" already exists in docker-compose.yml`);
  // The new service depends on consul: without one the file would no longer load.
  if (!project.services.includes('consul')) throw new GeneratorError(`docker-compose.yml has no "consul" service, which ${a.name} would depend on: add one first`);
  // Files already in <name>/ are the applier's business: it refuses to overwrite them without --force.
  const used = usedPorts(read, project);
  let port = a.port;
  if (port === undefined) {
    port = 3001;
    while (used.has(port)) port++;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new GeneratorError(`invalid port "${a.port}": expected a number from 1 to 65535`);
  const owner = used.get(port);
  if (owner !== undefined) throw new GeneratorError(`port ${port} is already used by ${owner}`);

  const spec = { name: a.name, component: 'node-service' as const, port, word: a.name[0]!.toUpperCase() + a.name.slice(1) };
  const ctx = { project: a.project, supervisor: a.supervisor, vendorFrom: a.vendorFrom, consulAgent: a.consulAgent };
  const notes = [`${a.name} listens on port ${port}`];
  let compose = addComposeService(project.compose, a.name, composeFragment(spec, ctx, isLegacyCompose(project.compose)));
  if (a.consulAgent) compose = agentsCanJoin(compose, notes);
  return { ops: [...serviceFiles(spec, ctx), { path: 'docker-compose.yml', content: compose, action: 'update', previous: project.compose }], notes };
}
