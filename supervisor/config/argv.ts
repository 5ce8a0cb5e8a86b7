/** What Go's strings.TrimSpace trims (unicode.IsSpace); JS trim() differs on U+0085 and U+FEFF. */
const GO_SPACE = '\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/**
 * Splits a job's or health check's `exec` string exactly as ContainerPilot v3 does
 * (commands.ParseArgs: `strings.Split(strings.TrimSpace(s), " ")`): at every single space, so
 * quotes are plain characters, two spaces make an empty argument and tabs stay inside words.
 * An array `exec` is the way to pass an argument holding spaces.
 */
export function splitExecString(text: string): string[] {
  const trimmed = text.replace(GO_TRIM, '');
  return trimmed === '' ? [] : trimmed.split(' ');
}

/**
 * Splits a command string into argv without a shell (for consul-template `-template` commands): whitespace separates words, single quotes
 * are literal, double quotes allow \" \\ \$ \` escapes, a backslash outside quotes escapes the
 * next character. Nothing else is interpreted (no pipes, globs or variables).
 */
export function splitCommand(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'unterminated single quote' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const n = text[j + 1];
        if (text[j] === '\\' && n !== undefined && '"\\$`'.includes(n)) {
          word += n;
          j++;
        } else word += text[j];
      }
      if (j >= text.length) return { error: 'unterminated double quote' };
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Shell operators that, unquoted in an exec string, are passed as plain arguments. */
export function shellOperatorIn(argv: string[]): string | undefined {
  return argv.find((a) => ['|', '||', '&&', ';', '>', '>>', '<', '&'].includes(a));
}
