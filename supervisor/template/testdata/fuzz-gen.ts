// Test support: a seeded generator of template texts made by mutating real templates
// (random cuts, duplicated or swapped pieces, inserted delimiters and tokens).

/** mulberry32: a small deterministic PRNG, so every failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DELIMS = ['{{', '}}', '{{- ', ' -}}', '{{/*', '*/}}', '(', ')', '|', '"', '`', "'", '$', '.', ':=', '=', ',', ' ', '\n', '\\'];
const TOKENS = [
  'if', 'else', 'end', 'range', 'with', 'define "x"', 'template "x"', 'block "x" .', 'break', 'continue', 'nil',
  'true', 'false', 'and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf "%d"', 'println', 'eq', 'ne',
  'lt', 'ge', 'html', 'js', 'urlquery', 'call', 'default "d"', 'env "HOME"', 'split ":"', 'join ","',
  'replaceAll "a" "b"', 'regexReplaceAll "a+" "$1"', 'loop 3', 'loop 2 5', '.NAME', '.COUNT', '.arr', '.m.x',
  '.svc', '$x', '$', '$x :=', '$i, $v :=', '0', '-1', '3.5', '0x10', "'a'", '"str"', '`raw`', '1e3',
];
/** Tokens that make Go itself run out of time or memory; only the bounded engine gets them. */
export const HUGE_TOKENS = ['loop 999999999', 'range 999999999', '99999999999', 'loop 0 2000000'];

export interface FuzzOptions { huge?: boolean }

/** One mutated template derived from a random seed text. */
export function mutate(seeds: string[], random: () => number, opts: FuzzOptions = {}): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const tokens = opts.huge ? [...TOKENS, ...HUGE_TOKENS] : TOKENS;
  let text = pick(seeds);
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(random() * (text.length + 1));
    const len = Math.floor(random() * 12);
    switch (Math.floor(random() * 6)) {
      case 0: text = text.slice(0, at) + text.slice(at + len); break;
      case 1: text = text.slice(0, at) + pick(DELIMS) + text.slice(at); break;
      case 2: text = text.slice(0, at) + pick(tokens) + text.slice(at); break;
      case 3: text = text.slice(0, at) + '{{ ' + pick(tokens) + ' ' + pick(tokens) + ' }}' + text.slice(at); break;
      case 4: text = text.slice(0, at) + text.slice(Math.max(0, at - len), at) + text.slice(at); break;
      default: {
        const b = Math.floor(random() * (text.length + 1));
        const [x, y] = at < b ? [at, b] : [b, at];
        text = text.slice(x, y) + text.slice(0, x) + text.slice(y);
      }
    }
  }
  return text;
}

const RE_ATOMS = [
  'a', 'b', '.', '\\d', '\\w', '\\s', '\\S', '[a-c]', '[^ab]', '[[:alpha:]]', '(a)', '(?:ab)', '(b|a)', 'x', 'é', '\\b',
  '^', '$', '(?i)A', '\\.', '[0-9]+', '\\pL', '\\p{Greek}', '(?P<n>a)', 'a{2}', 'a{1,2}', '\\x41', '[\\d\\s]', '(?s:.)',
  '(?m)^a', '\\A', '\\z', '\\Q.*\\E', '[-a]', '[]a]', '\\B', '(?U)a+',
];
const RE_QUANTS = ['', '', '', '*', '+', '?', '*?', '+?', '??', '{2,}', '{0,1}'];
const RE_INPUTS = ['aab', 'abc abc', 'b a\\nab', '', 'Aa aA', 'x1 y22', 'éé a.b', 'αβγ a', 'aaaa', '  a  '];
const RE_REPLS = ['-', '[$1]', '${n}', '$0', '$$', '<${1}x>', ''];

/** A template applying a random Go regexp (nested groups, classes, flags, lazy and bounded repeats). */
export function regexTemplate(random: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const re = (depth: number): string => {
    let s = '';
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      s += (depth < 2 && random() < 0.2 ? '(' + re(depth + 1) + ')' : pick(RE_ATOMS)) + pick(RE_QUANTS);
      if (random() < 0.1) s += '|';
    }
    return s;
  };
  const quoted = re(0).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `{{ regexReplaceAll "${quoted}" "${pick(RE_REPLS)}" "${pick(RE_INPUTS)}" }}`;
}
