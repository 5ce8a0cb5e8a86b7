/**
 * Splits an `exec` string into argv without a shell: whitespace separates words, single quotes
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
