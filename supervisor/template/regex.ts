// Go's Regexp.ReplaceAllString on the linear-time Go regexp engine (re-parse.ts, re-vm.ts):
// replacement templates ($1, ${1}, $name, ${name}, $$) and Go's rules for empty matches.
import { GoRegexp } from './re-vm.js';

export { RegexError } from './re-parse.js';

export function compileGoRegex(src: string): GoRegexp {
  return new GoRegexp(src);
}

/** Go's Regexp.Expand template. */
function expand(template: string, group: (n: number) => string | null, names: Map<string, number[]>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') { out += c; continue; }
    if (template[i + 1] === '$') { out += '$'; i++; continue; }
    let name: string;
    let end: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      name = close < 0 ? '' : template.slice(i + 2, close);
      end = close;
      if (!/^[A-Za-z0-9_]+$/.test(name)) { out += '$'; continue; }
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!w) { out += '$'; continue; }
      name = w[0];
      end = i + name.length;
    }
    i = end;
    if (/^[0-9]+$/.test(name) && !(name.length > 1 && name.startsWith('0')) && name.length <= 8) out += group(Number(name)) ?? '';
    else {
      // The first group of that name that took part in the match.
      for (const n of names.get(name) ?? []) {
        const g = group(n);
        if (g !== null) { out += g; break; }
      }
    }
  }
  return out;
}

/** Regexp.ReplaceAllString: every non-overlapping match, an empty match abutting a previous one skipped. */
export function goReplaceAll(re: GoRegexp, src: string, template: string): string {
  const chars = [...src];
  const text = chars.map((c) => c.codePointAt(0)!);
  const slice = (a: number, b: number): string => chars.slice(a, b).join('');
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length) {
    const caps = re.exec(text, searchPos);
    if (caps === null) break;
    const [a0, a1] = [caps[0]!, caps[1]!];
    out += slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) {
      const group = (n: number): string | null => (n <= re.groups && caps[2 * n]! >= 0 ? slice(caps[2 * n]!, caps[2 * n + 1]!) : null);
      out += expand(template, group, re.names);
    }
    lastMatchEnd = a1;
    searchPos = searchPos + 1 > a1 ? searchPos + 1 : a1;
  }
  return out + slice(lastMatchEnd, text.length);
}
