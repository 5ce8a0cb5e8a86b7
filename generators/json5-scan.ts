/**
 * A position-keeping scanner for JSON5 text. It finds where values, members and elements start
 * and end so the patcher can insert text without re-printing (and losing) the user's comments
 * and formatting. It validates only as much as it needs; JSON5.parse is the real judge.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Member extends Span {
  key: string;
  value: Span;
}

/** An object or array: where its brackets are and where its items sit. */
export interface Container {
  kind: 'object' | 'array';
  open: number;
  close: number;
  /** For objects, each member from key start to value end; for arrays, each element. */
  items: Span[];
  members: Member[];
}

export class Json5ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Skips whitespace and comments; returns the index of the next significant character. */
export function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Json5ScanError('unterminated comment', i);
      i = end + 2;
    } else {
      return i;
    }
  }
}

function skipString(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
  }
  throw new Json5ScanError('unterminated string', i);
}

/** Returns the index just after the value that starts at `i`. */
export function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"' || c === "'") return skipString(text, i);
  if (c === '{' || c === '[') return scanContainer(text, i).close + 1;
  let j = i;
  while (j < text.length && !/[\s,\]}:/]/.test(text[j]!)) j++;
  if (j === i) throw new Json5ScanError(`unexpected ${c === undefined ? 'end of text' : `"${c}"`}`, i);
  return j;
}

function readKey(text: string, i: number): { key: string; end: number } {
  const c = text[i];
  if (c === '"' || c === "'") {
    const end = skipString(text, i);
    return { key: JSON.parse(c === '"' ? text.slice(i, end) : `"${text.slice(i + 1, end - 1).replace(/"/g, '\\"')}"`) as string, end };
  }
  const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
  if (!m) throw new Json5ScanError('expected a key', i);
  return { key: m[0], end: i + m[0].length };
}

/** Scans the object or array whose opening bracket is at `open`. */
export function scanContainer(text: string, open: number): Container {
  const kind = text[open] === '{' ? 'object' : 'array';
  const closer = kind === 'object' ? '}' : ']';
  const items: Span[] = [];
  const members: Member[] = [];
  let i = skipTrivia(text, open + 1);
  while (text[i] !== closer) {
    if (i >= text.length) throw new Json5ScanError(`unclosed ${kind}`, open);
    const start = i;
    if (kind === 'object') {
      const { key, end } = readKey(text, i);
      i = skipTrivia(text, end);
      if (text[i] !== ':') throw new Json5ScanError(`expected ":" after key "${key}"`, i);
      const vStart = skipTrivia(text, i + 1);
      const vEnd = skipValue(text, vStart);
      members.push({ key, start, end: vEnd, value: { start: vStart, end: vEnd } });
      items.push({ start, end: vEnd });
      i = vEnd;
    } else {
      i = skipValue(text, i);
      items.push({ start, end: i });
    }
    i = skipTrivia(text, i);
    if (text[i] === ',') i = skipTrivia(text, i + 1);
    else if (text[i] !== closer) throw new Json5ScanError(`expected "," or "${closer}"`, i);
  }
  return { kind, open, close: i, items, members };
}

/** The top-level object of a config file. */
export function scanRoot(text: string): Container {
  const i = skipTrivia(text, 0);
  if (text[i] !== '{') throw new Json5ScanError('expected the config to be an object', i);
  return scanContainer(text, i);
}

/** 1-based line and column of an offset, for error messages. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
