/**
 * The bash completion script. Commands and options are written into it (from the cac
 * definitions) so the common TABs start no process; argument and option values (blueprints, the
 * services of the project in the current folder) come from `<program> __complete`. When nothing
 * matches, `-o default` lets bash complete file names (a directory for `new`, configs for
 * `validate`).
 */
import { flagsOf, type CliSpec } from './spec.js';
import { functionName } from './program.js';

export function bashScript(spec: CliSpec, program: string): string {
  const fn = `_${functionName(program)}_complete`;
  const cases = spec.commands.map((c) => `      ${c.name}) words="${flagsOf(c.options).join(' ')}" ;;`).join('\n');
  // `read -d ''` rather than mapfile or COMPREPLY=($(...)): bash 3.2 (macOS) has no mapfile,
  // and reading lines keeps a candidate whole.
  return `# ${program} completion for bash: source this file, or run \`${program} completion bash >> ~/.bashrc\`
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ \${COMP_WORDS[i]} == -* ]] || { cmd="\${COMP_WORDS[i]}"; break; }
  done
  COMPREPLY=()
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then words="${flagsOf(spec.globalOptions).join(' ')}"; else words="${spec.commands.map((c) => c.name).join(' ')}"; fi
  elif [[ $cur == -* ]]; then
    case $cmd in
${cases}
    esac
  else
    IFS=$'\\n' read -r -d '' -a COMPREPLY < <(${program} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    return 0
  fi
  IFS=$'\\n' read -r -d '' -a COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
}
complete -o default -F ${fn} ${program}
`;
}
