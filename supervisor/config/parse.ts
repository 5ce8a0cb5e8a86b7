/**
 * JSON5 parsing with errors as `file:line:col: message`. ContainerPilot's own example configs
 * omit commas between values on separate lines; such a missing comma is accepted (with a
 * warning) by inserting it and parsing again. Anything else is reported at its original place,
 * and so is a key repeated in one object (JSON5.parse would keep only the last).
 */
import JSON5 from 'json5';
import { findDuplicateKey } from './duplicate-keys.js';

interface Json5Error extends SyntaxError {
  lineNumber: number;
  columnNumber: number;
}

const isJson5Error = (e: unknown): e is Json5Error => e instanceof SyntaxError && typeof (e as Json5Error).lineNumber === 'number';
const MAX_REPAIRS = 200;

export interface Parsed {
  value: unknown;
  /** 1-based line:col of each comma that had to be inserted, in the original text. */
  insertedCommas: Array<[number, number]>;
}

export type ParseResult = Parsed | { line: number; column: number; message: string };

export function parseJson5(text: string): ParseResult {
  let first: Json5Error | undefined;
  let current = text;
  const inserted: number[] = []; // offsets in the original text
  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    try {
      const value: unknown = parseQuietly(current);
      const dup = findDuplicateKey(text);
      if (dup) {
        const [line, column] = lineCol(text, dup.offset);
        return { line, column, message: `duplicate key "${dup.key}" (the earlier value would be lost)` };
      }
      return { value, insertedCommas: inserted.map((off) => lineCol(text, off)) };
    } catch (err) {
      if (!isJson5Error(err)) throw err;
      first ??= err;
      const offset = offsetOf(current, err.lineNumber, err.columnNumber);
      if (!/invalid character/.test(err.message) || !startsLine(current, offset) || !endsValue(current, offset)) break;
      current = current.slice(0, offset) + ',' + current.slice(offset);
      // Map the insertion point back to the original text (earlier insertions shift it by one each).
      inserted.push(offset - inserted.filter((o) => o < offset).length);
    }
  }
  return { line: first!.lineNumber, column: first!.columnNumber, message: cleanMessage(first!.message) };
}

function cleanMessage(message: string): string {
  return message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
}

function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(off + column - 1, text.length);
}

function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return [line, offset - before.lastIndexOf('\n')];
}

/** True when only blanks precede `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t\r]*$/.test(text.slice(lineStart, offset));
}

/** True when the last significant character before `offset` (skipping comments) closes a value. */
function endsValue(text: string, offset: number): boolean {
  const before = text.slice(0, offset).replace(/\/\*[\s\S]*?\*\//g, '');
  const lines = before.split('\n').map((l) => stripLineComment(l).trimEnd());
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l === '') continue;
    return /["'}\]\w.]$/.test(l) && !/[,[{:]$/.test(l);
  }
  return false;
}

/** Drops a `//` comment from a line, ignoring `//` inside quoted strings (such as URLs). */
function stripLineComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/**
 * JSON5.parse without its console output: it prints "JSON5: '\u2028' in strings is not valid
 * ECMAScript" through console.warn for a line or paragraph separator inside a string, which JSON
 * and ES2019 allow, a stray line without the file's name in our output. The call is synchronous,
 * so silencing console.warn for its length hides nothing else.
 */
export function parseQuietly(text: string): unknown {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return JSON5.parse(text);
  } finally {
    console.warn = warn;
  }
}
