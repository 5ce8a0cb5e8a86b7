// Test support: appending to a JSON5 config's top-level arrays, checked. Used by
// json5-patch.test.ts and by `npm run compat` on a folder of real ContainerPilot configs.
import assert from 'node:assert/strict';
import JSON5 from 'json5';
import { appendToTopLevelArray } from '../json5-patch.js';

/** The patch must equal the parse of the original plus the new item, and keep the original text. */
export function appendChecked(before: string, key: string, value: unknown): string {
  const after = appendToTopLevelArray(before, key, value, 'c.json5');
  const expected = JSON5.parse(before) as Record<string, unknown[]>;
  expected[key] = [...(expected[key] ?? []), value];
  assert.deepEqual(JSON5.parse(after), expected);
  return after;
}

/**
 * A config takes `job` and `watch`, and every original line is still there, in order. False when the text is not a JSON5 object until rendered
 * (Go template actions outside strings), so there is nothing to patch.
 */
export function patchKeepsLines(text: string, name: string, job: unknown, watch: unknown): boolean {
  let parsed: unknown;
  try {
    parsed = JSON5.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  expectLinesKept(text, appendChecked(appendChecked(text, 'jobs', job), 'watches', watch), name);
  return true;
}

/**
 * Every line of `before` is still in `after`, in order: as it was, with a comma gained before its
 * comment or end, or (a one-line array) with items inserted before its last `]`.
 */
export function expectLinesKept(before: string, after: string, name: string): void {
  const lines = after.split('\n');
  const kept = (l: string, line: string): boolean => {
    if (l === line || l === `${line},` || l === line.replace(/^(\s*\S.*?)(\s*\/\/.*)$/, '$1,$2')) return true;
    const close = line.lastIndexOf(']');
    return close > line.indexOf('[') && line.indexOf('[') >= 0 && l.length > line.length && l.startsWith(line.slice(0, close)) && l.endsWith(line.slice(close));
  };
  let at = 0;
  for (const line of before.split('\n')) {
    const found = lines.findIndex((l, i) => i >= at && kept(l, line));
    assert.ok(found >= 0, `${name}: lost or changed line ${JSON.stringify(line)}`);
    at = found + 1;
  }
}
