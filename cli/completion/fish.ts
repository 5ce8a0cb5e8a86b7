/**
 * The fish completion script: one `complete` line per command and option, with descriptions,
 * written in from the cac definitions; values from `<program> __complete`, asked once per TAB.
 * Fish offers file names too unless a matching line says -f: only the values line does, and only
 * when there are values, so `validate <TAB>` still lists files.
 */
import type { CliSpec, OptionSpec } from './spec.js';
import { functionName } from './program.js';

const quote = (s: string) => `'${s.replace(/\s+/g, ' ').replace(/[\\']/g, '\\$&')}'`;

function optionLine(program: string, condition: string, o: OptionSpec): string {
  const flags = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
  // No -r on options that take a value: with it fish completes their value from files only and
  // never asks the values line, which knows `--service`'s services.
  return `complete -c ${program} -n ${quote(condition)} ${flags} -d ${quote(o.description)}`;
}

export function fishScript(spec: CliSpec, program: string): string {
  const fn = `__${functionName(program)}`;
  const lines = [
    `# ${program} completion for fish: \`${program} completion fish > ~/.config/fish/completions/${program}.fish\``,
    `function ${fn}_command --description 'The command word typed so far, if any'`,
    '    for w in (commandline -opc)[2..-1]',
    "        string match -q -- '-*' $w; or begin; echo $w; return 0; end",
    '    end',
    '    return 1',
    'end',
    `function ${fn}_using --description 'True when the command typed is $argv[1]'`,
    `    set -l typed (${fn}_command); and test "$typed" = $argv[1]`,
    'end',
    `function ${fn}_values --description 'Asks ${program} for the values that fit here'`,
    "    string match -q -- '-*' (commandline -ct); and return 1",
    `    ${fn}_command >/dev/null; or return 1`,
    `    set -g ${fn}_candidates (${program} __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)`,
    `    test (count $${fn}_candidates) -gt 0`,
    'end',
    ...spec.commands.map((c) => `complete -c ${program} -n 'not ${fn}_command' -f -a ${c.name} -d ${quote(c.description)}`),
    ...spec.globalOptions.map((o) => optionLine(program, `not ${fn}_command`, o)),
    ...spec.commands.flatMap((c) => c.options.map((o) => optionLine(program, `${fn}_using ${c.name}`, o))),
    `complete -c ${program} -n ${fn}_values -f -a '$${fn}_candidates'`,
  ];
  return `${lines.join('\n')}\n`;
}
