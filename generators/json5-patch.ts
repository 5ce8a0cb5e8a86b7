/**
 * Structural edits of JSON5 text that keep everything else byte for byte: append an element to
 * a top-level array (`jobs`, `watches`), creating the array when the key is missing.
 */
import { findDuplicateKey } from '../supervisor/config/duplicate-keys.js';
import { parseQuietly } from '../supervisor/config/parse.js';
import { GeneratorError } from './errors.js';
import { detectStyle, formatJson5, formatKey, indentText, type Json5Style } from './json5-format.js';
import { type Container, Json5ScanError, lineCol, scanContainer, scanRoot, skipTrivia } from './json5-scan.js';

export class Json5PatchError extends GeneratorError {}

/** The whitespace at the start of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

const sameLine = (text: string, a: number, b: number): boolean => !text.slice(a, b).includes('\n');

/** Inserts `item` (formatted at column 0) as the last item of `c`. */
export function appendItem(text: string, c: Container, item: string, style: Json5Style): string {
  const closeIndent = lineIndent(text, c.open);
  const last = c.items[c.items.length - 1];
  if (sameLine(text, c.open, c.close)) {
    // A one-line container takes a one-line item in place; otherwise it is opened up.
    if (last && !item.includes('\n')) return `${text.slice(0, last.end)}, ${item}${text.slice(last.end)}`;
    // A comment between the brackets (`[ /* none yet */ ]`) is the user's: it stays, first.
    const trivia = c.items.reduce((t, s) => t.replace(text.slice(s.start, s.end), ''), text.slice(c.open + 1, c.close)).replace(/[\s,]+/g, ' ').trim();
    if (last && trivia !== '') return `${text.slice(0, last.end)},\n${indentText(item, closeIndent + style.indent)}${text.slice(last.end)}`;
    if (trivia !== '') return `${text.slice(0, c.open + 1)} ${text.slice(c.open + 1, c.close).trim()}\n${indentText(item + (style.trailingCommas ? ',' : ''), closeIndent + style.indent)}\n${closeIndent}${text.slice(c.close)}`;
    const inner = c.items.map((s) => text.slice(s.start, s.end)).concat(item);
    const body = inner.map((t, i) => indentText(t + (i < inner.length - 1 || style.trailingCommas ? ',' : ''), closeIndent + style.indent));
    return `${text.slice(0, c.open + 1)}\n${body.join('\n')}\n${closeIndent}${text.slice(c.close)}`;
  }
  const itemIndent = last ? lineIndent(text, last.start) : closeIndent + style.indent;
  // After the last significant text before the closing bracket (a trailing comment included).
  let insertAt = c.close;
  while (insertAt > c.open + 1 && /\s/.test(text[insertAt - 1]!)) insertAt--;
  const trailing = last !== undefined && text[skipTrivia(text, last.end)] === ',';
  const comma = trailing || (!last && style.trailingCommas) ? ',' : '';
  const block = '\n' + indentText(item, itemIndent) + comma;
  let out = text.slice(0, insertAt) + block + text.slice(insertAt);
  if (last && !trailing) out = out.slice(0, last.end) + ',' + out.slice(last.end);
  return out;
}

export function describe(text: string, file: string, err: unknown): Json5PatchError {
  if (err instanceof Json5ScanError) {
    const { line, column } = lineCol(text, err.offset);
    return new Json5PatchError(`${file}:${line}:${column}: ${err.message}`);
  }
  const e = err as { lineNumber?: number; columnNumber?: number; message?: string };
  if (e.lineNumber !== undefined) return new Json5PatchError(`${file}:${e.lineNumber}:${e.columnNumber ?? 0}: ${String(e.message).replace(/^JSON5: /, '')}`);
  return new Json5PatchError(`${file}: ${String(e.message ?? err)}`);
}

/** Parses JSON5 text, with errors that name the file, line and column. */
export function parseJson5(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = parseQuietly(text);
  } catch (err) {
    throw describe(text, file, err);
  }
  // A patch of the copy JSON5.parse drops would be lost; refuse rather than guess.
  const dup = findDuplicateKey(text);
  if (dup) throw describe(text, file, new Json5ScanError(`duplicate key "${dup.key}"`, dup.offset));
  return value;
}

/** Appends `value` to the top-level array `key`, creating `key: [value]` when absent. */
export function appendToTopLevelArray(text: string, key: string, value: unknown, file = 'config.json5'): string {
  parseJson5(text, file);
  try {
    const style = detectStyle(text);
    const root = scanRoot(text);
    const member = root.members.find((m) => m.key === key);
    if (!member) return appendItem(text, root, `${formatKey(key, style)}: ${formatJson5([value], style)}`, style);
    if (text[member.value.start] !== '[') throw new Json5PatchError(`${file}: "${key}" must be an array`);
    const array = scanContainer(text, member.value.start);
    return appendItem(text, array, formatJson5(value, style), style);
  } catch (err) {
    if (err instanceof Json5PatchError) throw err;
    throw describe(text, file, err);
  }
}
