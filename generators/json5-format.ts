/**
 * Prints values as JSON5 in the style of the file they go into (indent unit, quote character,
 * quoted or bare keys, trailing commas), so inserted text looks hand-written.
 */
import { scanRoot, skipTrivia } from './json5-scan.js';

export interface Json5Style {
  indent: string;
  quote: '"' | "'";
  quoteKeys: boolean;
  trailingCommas: boolean;
}

export const DEFAULT_STYLE: Json5Style = { indent: '  ', quote: '"', quoteKeys: false, trailingCommas: true };

const INLINE_MAX = 60;

function quoteString(s: string, quote: '"' | "'"): string {
  const json = JSON.stringify(s);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

export function formatKey(key: string, style: Json5Style): string {
  return !style.quoteKeys && /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteString(key, style.quote);
}

const isPrimitive = (v: unknown): boolean => v === null || typeof v !== 'object';

/** Formats a value at column 0; nested lines are indented by the style's unit. */
export function formatJson5(value: unknown, style: Json5Style = DEFAULT_STYLE): string {
  if (typeof value === 'string') return quoteString(value, style.quote);
  if (isPrimitive(value)) return String(value);
  const isArray = Array.isArray(value);
  const entries: Array<[string | undefined, unknown]> = isArray
    ? (value as unknown[]).map((v) => [undefined, v])
    : Object.entries(value as Record<string, unknown>);
  const parts = entries.map(([k, v]) => (k === undefined ? '' : `${formatKey(k, style)}: `) + formatJson5(v, style));
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  if (entries.every(([, v]) => isPrimitive(v))) {
    const inline = isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
    if (inline.length <= INLINE_MAX) return inline;
  }
  const body = parts.map((p, i) => {
    const comma = i < parts.length - 1 || style.trailingCommas ? ',' : '';
    return indentText(p + comma, style.indent);
  });
  return `${open}\n${body.join('\n')}\n${close}`;
}

/** Prefixes every line of `text` with `indent`. */
export function indentText(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
}

/** Reads the style of an existing file from its top-level object. */
export function detectStyle(text: string): Json5Style {
  const style = { ...DEFAULT_STYLE };
  const root = scanRoot(text);
  const first = root.members[0];
  if (first) {
    const lineStart = text.lastIndexOf('\n', first.start) + 1;
    const lead = text.slice(lineStart, first.start);
    if (/^[ \t]+$/.test(lead)) style.indent = lead;
    style.quoteKeys = text[first.start] === '"' || text[first.start] === "'";
  }
  const firstString = /["']/.exec(text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, ''));
  if (firstString) style.quote = firstString[0] as '"' | "'";
  // The root's last member followed by a comma means the file writes trailing commas.
  const last = root.items[root.items.length - 1];
  if (last) style.trailingCommas = text[skipTrivia(text, last.end)] === ',';
  return style;
}
