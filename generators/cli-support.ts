/**
 * What `new` and `add` share at the command line: reading a project from disk, asking questions
 * (only on a terminal, Ctrl-C = exit 130), applying a plan and printing what happened.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromptObject } from 'prompts';
import { color } from '../base/colors.js';
import { ExitError, UserError } from '../base/errors.js';
import { applyPlan } from './apply.js';
import { GeneratorError, InterruptedError, WriteError } from './errors.js';
import type { FileOp, ReadFile } from './types.js';

export type Opts = Record<string, unknown>;

const write = (s: string) => process.stdout.write(s);

/**
 * Prompts only when a person can answer: `--yes`, or stdin/stdout not a terminal, means never;
 * so does `--json`, whose stdout is for a program (a prompt there would break the JSON).
 */
export function canPrompt(o: Opts): boolean {
  return !o['yes'] && !o['json'] && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

function cancelled(): never {
  process.stderr.write(`${color.yellow('Cancelled')}: nothing was written.\n`);
  throw new ExitError(130);
}

/**
 * Asks one question; Ctrl-C or Esc ends the command with exit code 130. `prompts` is loaded only
 * here: with `--yes` or no terminal it is never needed, and loading it costs start-up time.
 */
export async function ask<T>(question: Omit<PromptObject, 'name'>): Promise<T> {
  const { default: prompts } = await import('prompts');
  let aborted = false;
  const answers = await prompts({ ...question, name: 'value' } as PromptObject, {
    onCancel: () => {
      aborted = true;
      return false;
    },
  });
  if (aborted || answers['value'] === undefined) cancelled();
  return answers['value'] as T;
}

/** Reads files of the project in `dir`; a missing file is undefined. */
export function projectReader(dir: string): ReadFile {
  return (path) => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw err;
    }
  };
}

/** Runs planning code, turning its user-facing errors into one-line CLI errors. */
export function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GeneratorError) throw new UserError(err.message);
    throw err;
  }
}

/** A file of a plan or a result, as `--json` reports it. */
export interface JsonFile {
  path: string;
  action: 'create' | 'overwrite' | 'update';
}

/** Applies a plan, printing each file (or, on --dry-run, the plan and its diffs); with --json it prints nothing and returns the files. */
export async function applyAndReport(ops: FileOp[], o: Opts & { dir: string }): Promise<{ written: boolean; files: JsonFile[] }> {
  const dryRun = Boolean(o['dryRun']);
  const json = Boolean(o['json']);
  const heads: string[] = [];
  try {
    await applyPlan(ops, {
      dir: o.dir,
      dryRun,
      force: Boolean(o['force']),
      print: (line) => {
        if (!line.startsWith('    ')) heads.push(line);
        if (!json) write(`  ${line.startsWith('    ') ? colorDiff(line) : colorVerb(line)}\n`);
      },
    });
  } catch (err) {
    if (err instanceof InterruptedError) cancelled();
    if (err instanceof GeneratorError) throw new UserError(err.message);
    if (err instanceof WriteError) throw new UserError(err.message, err.exitCode);
    throw err;
  }
  // describePlan writes one head line per op, in order, starting with its verb.
  const files = ops.map((op, i): JsonFile => ({ path: op.path, action: dryRun ? (heads[i]?.split(' ')[0] as JsonFile['action']) : op.action }));
  if (json) return { written: !dryRun, files };
  if (dryRun) {
    write(`\n${color.bold('Dry run')}: nothing was written.\n`);
    return { written: false, files };
  }
  for (const op of ops) write(`  ${colorVerb(`${op.action === 'create' ? 'create' : 'update'} ${op.path}`)}\n`);
  return { written: true, files };
}

/** Prints a `--json` answer: one object, two-space indented, as `status --json` does. */
export function printJson(value: unknown): void {
  write(`${JSON.stringify(value, null, 2)}\n`);
}

function colorVerb(line: string): string {
  const [verb, ...rest] = line.split(' ');
  const paint = verb === 'update' ? color.yellow : verb === 'overwrite' ? color.red : color.green;
  return `${paint(verb ?? '')} ${rest.join(' ')}`;
}

function colorDiff(line: string): string {
  return line.trimStart().startsWith('+') ? color.green(line) : color.red(line);
}

export function printNextSteps(title: string, steps: string[]): void {
  // The steps speak Compose v2; v1 is still installed on many machines and reads the same file.
  const v1 = steps.some((s) => s.startsWith('docker compose ')) ? `${color.dim('Compose v1: type docker-compose where a step says docker compose.')}\n` : '';
  write(`\n${color.bold(title)}\n${v1}\nNext steps:\n`);
  for (const s of steps) write(`  ${color.cyan(s)}\n`);
}
