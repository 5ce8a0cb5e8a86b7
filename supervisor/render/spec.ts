/**
 * `-template "in.ctmpl:out.conf:command"` as consul-template splits it (config/template.go):
 * parts are runs of non-colons, each optionally led by a Windows drive letter (`C:`); parts
 * after the second are the command, joined back with ":".
 */
import { splitCommand } from '../config/argv.js';

export interface TemplateSpec {
  source: string;
  destination: string;
  /** The command as written ('' = none) and its argv, split without a shell. */
  command: string;
  argv: string[];
}

/** A mistake in a `-template` value; the CLI prints it as one line and exits 2. */
export class SpecError extends Error {}

export function parseTemplateSpec(s: string): TemplateSpec {
  if (s.trim() === '') throw new SpecError('-template: value is empty (expected "in.ctmpl:out.conf[:command]")');
  const parts = s.match(/([a-zA-Z]:)?([^:]+)/g) ?? [];
  const source = parts[0] ?? '';
  const destination = parts[1] ?? '';
  const command = parts.slice(2).join(':');
  if (destination === '') throw new SpecError(`-template ${JSON.stringify(s)}: no destination (expected "in.ctmpl:out.conf[:command]")`);
  let argv: string[] = [];
  if (command.trim() !== '') {
    const split = splitCommand(command);
    if (!Array.isArray(split)) throw new SpecError(`-template ${JSON.stringify(s)}: command: ${split.error}`);
    argv = split;
  }
  return { source, destination, command: command.trim(), argv };
}
