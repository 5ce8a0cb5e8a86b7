/**
 * The zsh completion script: commands and options with their descriptions (written in from the
 * cac definitions), values from `<program> __complete`, file names when it has none. Works
 * sourced after `compinit` and as an autoloaded `_<program>` file in $fpath.
 */
import type { CliSpec, OptionSpec } from './spec.js';
import { functionName } from './program.js';

/** One `word:description` entry of a `_describe` array, single-quoted for zsh. */
function entry(word: string, description: string): string {
  const text = `${word.replace(/:/g, '\\:')}:${description.replace(/\s+/g, ' ')}`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const optionEntries = (options: readonly OptionSpec[]) => options.flatMap((o) => o.flags.map((f) => entry(f, o.description))).join(' ');

export function zshScript(spec: CliSpec, program: string): string {
  const fn = `_${functionName(program)}`;
  const commands = spec.commands.map((c) => entry(c.name, c.description)).join(' ');
  const cases = spec.commands.map((c) => `      ${c.name}) entries=(${optionEntries(c.options)}) ;;`).join('\n');
  return `#compdef ${program}
# ${program} completion for zsh: \`${program} completion zsh > "\${fpath[1]}/${fn}"\`, or source it after compinit
${fn}() {
  local cmd="" i
  local -a entries values
  for ((i = 2; i < CURRENT; i++)); do
    [[ \${words[i]} == -* ]] || { cmd=\${words[i]}; break; }
  done
  if [[ -z $cmd ]]; then
    if [[ \${words[CURRENT]} == -* ]]; then entries=(${optionEntries(spec.globalOptions)}); else entries=(${commands}); fi
    _describe -t commands '${program} command' entries
    return
  fi
  if [[ \${words[CURRENT]} == -* ]]; then
    case $cmd in
${cases}
    esac
    _describe -t options option entries
    return
  fi
  values=(\${(f)"$(${program} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  if (( \${#values} )); then compadd -a values; else _files; fi
}
compdef ${fn} ${program}
# Autoloaded from $fpath, this file is the body of ${fn}: complete the word that loaded it.
if [[ \$funcstack[1] == ${fn} ]]; then ${fn} "$@"; fi
`;
}
