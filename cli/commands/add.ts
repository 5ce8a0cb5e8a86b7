/**
 * `autopilot add backend <name> --service <svc>` wires a watch and its hook into a service;
 * `autopilot add service <name> [--port n]` adds a Node.js service. Both edit the project in
 * place, keeping comments and formatting, and change nothing when run twice.
 */
import { basename, resolve } from 'node:path';
import { suggest } from '../../base/suggest.js';
import { applyAndReport, ask, canPrompt, printJson, printNextSteps, projectReader, userErrors, type Opts } from '../../generators/cli-support.js';
import { planAddBackend, planAddService, type AddResult } from '../../generators/plan-add.js';
import { isVendored, readProject } from '../../generators/project.js';
import { color } from '../colors.js';
import { UserError } from '../errors.js';
import { npxCommand } from '../../generators/supervisor-source.js';
import { supervisorSource } from '../supervisor-source.js';
import { VERSION } from '../version.js';

function parsePort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(`--port ${String(value)}: expected a number from 1 to 65535`);
  return n;
}

export async function addCommand(kind: string, name: string, o: Opts): Promise<number> {
  const dir = resolve(String(o['dir'] ?? '.'));
  const read = projectReader(dir);
  let result: AddResult;
  let steps: string[];
  if (kind === 'backend') {
    let service = o['service'] === undefined ? undefined : String(o['service']);
    if (service === undefined) {
      const services = userErrors(() => readProject(read)).services.filter((s) => s !== name && read(`${s}/containerpilot.json5`) !== undefined);
      if (!canPrompt(o) || services.length === 0) throw new UserError(`--service is required: the service that should watch ${name} (e.g. --service ${services[0] ?? 'nginx'})`);
      service = await ask<string>({ type: 'select', message: `Which service should watch ${name}?`, choices: services.map((s) => ({ title: s, value: s })) });
    }
    const svc = service;
    result = userErrors(() => planAddBackend(read, { name, service: svc }));
    steps = [`docker-compose up -d --build ${svc}`];
    if (result.ops.length === 0) {
      if (o['json']) return report({ kind, name, dir, dryRun: Boolean(o['dryRun']), files: [], notes: result.notes, nextSteps: [] });
      process.stdout.write(`Nothing to change: ${svc} already watches ${name} (${result.notes.join('; ')}).\n`);
      return 0;
    }
  } else if (kind === 'service') {
    const port = parsePort(o['port']);
    result = userErrors(() => planAddService(read, { name, port, ...supervisorSource(Boolean(o['vendor']) || isVendored(read)), project: basename(dir) }));
    steps = [`docker-compose up -d --build ${name}`, `${npxCommand(VERSION)} add backend ${name} --service nginx   # route /${name} through nginx`];
  } else {
    const near = suggest(kind, ['backend', 'service']);
    throw new UserError(`unknown kind "${kind}"${near ? ` (did you mean "${near}"?)` : ''}: use "add backend <name> --service <svc>" or "add service <name> --port <n>"`);
  }

  if (!o['json']) process.stdout.write(`${o['dryRun'] ? 'Would add' : 'Adding'} ${kind} ${color.bold(name)}\n`);
  const { written, files } = await applyAndReport(result.ops, { ...o, dir });
  if (o['json']) return report({ kind, name, dir, dryRun: !written, files, notes: result.notes, nextSteps: steps });
  if (!written) return 0;
  printNextSteps(`Done: ${kind} ${name} added${result.notes.length ? ` (${result.notes.join('; ')})` : ''}.`, steps);
  return 0;
}

/** The `--json` answer of `add`, plan or result (docs/cli-json.md). */
function report(fields: Record<string, unknown>): number {
  printJson({ command: 'add', ...fields });
  return 0;
}
