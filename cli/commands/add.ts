/**
 * `autopilot add backend <name> --service <svc>` wires a watch and its hook into a service;
 * `autopilot add service <name> [--port n]` adds a Node.js service. Both edit the project in
 * place, keeping comments and formatting, and change nothing when run twice.
 */
import { basename, resolve } from 'node:path';
import { suggest } from '../../base/suggest.js';
import { applyAndReport, ask, canPrompt, printJson, printNextSteps, projectReader, userErrors, type Opts } from '../../generators/cli-support.js';
import { planAddService, type AddResult } from '../../generators/plan-add.js';
import { appServices, planBackend } from '../../generators/plan-backend.js';
import { keepLineEndings } from '../../generators/line-endings.js';
import { shellQuote } from '../../generators/shell-quote.js';
import { keepStackInStep } from '../../generators/targets/swarm.js';
import { swarmNextSteps } from '../../generators/targets/target-option.js';
import type { ReadFile } from '../../generators/types.js';
import { DATABASE_KINDS, isDatabaseKind, type DatabaseKind } from '../../blueprints/index.js';
import { isVendored, usesConsulAgent } from '../../generators/project.js';
import { color } from '../../base/colors.js';
import { UserError } from '../../base/errors.js';
import { npxCommand } from '../../generators/supervisor-source.js';
import { supervisorSource } from '../supervisor-source.js';
import { VERSION } from '../../base/version.js';

function parseImage(value: unknown): DatabaseKind | undefined {
  if (value === undefined) return undefined;
  const kind = String(value);
  if (isDatabaseKind(kind)) return kind;
  const near = suggest(kind, DATABASE_KINDS);
  throw new UserError(`--image ${kind}: expected one of ${DATABASE_KINDS.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`);
}

/**
 * Who depends on the backend: --service (repeatable, or comma-separated); else, on a terminal, the
 * app services to pick from, all preselected; else every app service, said out loud.
 */
async function chooseDependants(read: ReadFile, backend: string, o: Opts): Promise<{ dependants: string[]; chosen: boolean }> {
  const given = ([] as unknown[]).concat(o['service'] ?? []).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (given.length > 0) return { dependants: [...new Set(given)], chosen: false };
  const apps = userErrors(() => appServices(read, backend));
  if (apps.length === 0 || !canPrompt(o)) return { dependants: apps, chosen: apps.length > 0 };
  const picked = await ask<string[]>({ type: 'multiselect', message: `Which services depend on ${backend}?`, choices: apps.map((s) => ({ title: s, value: s, selected: true })), instructions: false });
  return { dependants: picked, chosen: false };
}

function parsePort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  // The text as typed (cli/raw-flag.ts): decimal digits only, as Number() would also take 0x10 and 1e3.
  const raw = String(value);
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(`--port ${raw}: expected a number from 1 to 65535 (decimal digits)`);
  return n;
}

export async function addCommand(kind: string, name: string, o: Opts): Promise<number> {
  const dir = resolve(String(o['dir'] ?? '.'));
  const eol = keepLineEndings(projectReader(dir));
  const read = eol.read;
  let result: AddResult;
  let steps: string[];
  if (kind === 'backend') {
    const image = parseImage(o['image']);
    const { dependants, chosen } = await chooseDependants(read, name, o);
    result = userErrors(() => planBackend(read, { name, dependants, image, external: Boolean(o['external']), context: { ...supervisorSource(isVendored(read)), project: basename(dir), consulAgent: usesConsulAgent(read) } }));
    if (chosen && !o['json']) process.stdout.write(`${dependants.join(', ')} will depend on ${name} (choose with --service)\n`);
    const created = result.ops.some((op) => op.path === `${name}/Dockerfile`);
    steps = [`docker compose up -d --build ${[...(created ? [name] : []), ...dependants].map(shellQuote).join(' ')}`];
    if (result.ops.length === 0) {
      if (o['json']) return report({ kind, name, dir, dryRun: Boolean(o['dryRun']), files: [], notes: result.notes, nextSteps: [] });
      process.stdout.write(`Nothing to change: ${dependants.join(', ') || 'nothing'} already depend${dependants.length === 1 ? 's' : ''} on ${name} (${result.notes.join('; ')}).\n`);
      return 0;
    }
  } else if (kind === 'service') {
    const port = parsePort(o['port']);
    result = userErrors(() => planAddService(read, { name, port, ...supervisorSource(Boolean(o['vendor']) || isVendored(read)), project: basename(dir), consulAgent: Boolean(o['consulAgent']) || usesConsulAgent(read) }));
    steps = [`docker compose up -d --build ${name}`, `${npxCommand(VERSION)} add backend ${name} --service nginx   # route /${name} through nginx`];
  } else {
    const near = suggest(kind, ['backend', 'service']);
    throw new UserError(`unknown kind "${kind}"${near ? ` (did you mean "${near}"?)` : ''}: use "add backend <name> --service <svc>" or "add service <name> --port <n>"`);
  }

  result = { ...result, ops: eol.restore(userErrors(() => keepStackInStep(read, result.ops, basename(dir)))) };
  if (result.ops.some((op) => op.path === 'docker-stack.yml')) steps = [...steps, ...swarmNextSteps(basename(dir)).slice(1)];
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
