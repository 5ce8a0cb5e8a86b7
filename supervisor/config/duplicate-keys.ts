/**
 * JSON5.parse keeps the last of two equal keys in one object and drops the other without a
 * word, so a config (or a patch of it) would silently lose the user's first value. This finds
 * the first repeated key of any object, in text that already parses.
 */

export interface DuplicateKey {
  key: string;
  /** Offset of the second occurrence. */
  offset: number;
}

interface Frame {
  object: boolean;
  keys: Set<string>;
  expectKey: boolean;
}

function stringEnd(text: string, i: number): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

function decodeKey(raw: string): string {
  if (raw.startsWith("'")) raw = `"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
  if (!raw.startsWith('"')) return raw;
  try {
    return JSON.parse(raw.replace(/\\\r?\n/g, '')) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '{' || c === '[') {
      stack.push({ object: c === '{', keys: new Set(), expectKey: c === '{' });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      if (top?.object) top.expectKey = true;
      i++;
    } else if (c === ':') {
      if (top) top.expectKey = false;
      i++;
    } else if (top?.object && top.expectKey && /[A-Za-z_$"'\\]/.test(c)) {
      const end = c === '"' || c === "'" ? stringEnd(text, i) : i + /^[\w$\\]+/.exec(text.slice(i))![0].length;
      const key = decodeKey(text.slice(i, end));
      if (top.keys.has(key)) return { key, offset: i };
      top.keys.add(key);
      top.expectKey = false;
      i = end;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i);
    } else {
      i++;
    }
  }
  return undefined;
}
