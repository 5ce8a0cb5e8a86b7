// Go regexp (RE2 syntax) on top of JavaScript RegExp: pattern translation for the differences
// that matter (\s, ., \z, \A, (?P<n>), leading flags, punctuation escapes, POSIX classes),
// refusal of what RE2 refuses (backreferences, lookaround), and Go's ReplaceAllString.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const JS_SYNTAX = '^$\\.*+?()[]{}|/';

export class RegexError extends Error {}

/** Compiles a Go regular expression into an equivalent global JavaScript RegExp. */
export function compileGoRegex(re: string): RegExp {
  let flags = 'gu';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(re);
  if (lead) {
    if (lead[1]!.includes('U')) throw new RegexError('error parsing regexp: ungreedy flag is not supported');
    for (const f of new Set(lead[1])) flags += f;
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < re.length) {
    const c = re[i]!;
    if (c === '\\') {
      const n = re[i + 1];
      if (n === undefined) throw new RegexError('error parsing regexp: trailing backslash at end of expression: ``');
      if (n === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const lit = re.slice(i + 2, end < 0 ? re.length : end);
        out += [...lit].map((ch) => '\\u{' + ch.codePointAt(0)!.toString(16) + '}').join('');
        i = end < 0 ? re.length : end + 2;
        continue;
      }
      if (n === 'z') out += '(?![\\s\\S])';
      else if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      else if (n === 'S') out += inClass ? '\\x00-\\x08\\x0B\\x0E-\\x1F!-\\u{10FFFF}' : '[^\\t\\n\\f\\r ]';
      else if (n >= '0' && n <= '7' && (n === '0' || /[0-7]/.test(re[i + 2] ?? ''))) {
        // Octal: \0 or \1-\7 followed by more octal digits, up to three in all.
        const oct = /^[0-7]{1,3}/.exec(re.slice(i + 1))![0];
        out += `\\u{${parseInt(oct, 8).toString(16)}}`;
        i += 1 + oct.length;
        continue;
      } else if (/[A-Za-z0-9]/.test(n) && !'aftnrvxdDsSwWbBpP'.includes(n)) {
        throw new RegexError(`error parsing regexp: invalid escape sequence: \`\\${n}\``);
      }
      else if (n === 'p' || n === 'P') {
        if (re[i + 2] === '{') {
          const end = re.indexOf('}', i + 3);
          if (end < 0) throw new RegexError('error parsing regexp: invalid character class range');
          const name = re.slice(i + 3, end);
          out += `\\${n}{${name.length <= 2 ? name : 'Script=' + name}}`;
          i = end + 1;
          continue;
        }
        out += `\\${n}{${re[i + 2] ?? ''}}`;
        i += 3;
        continue;
      } else if (n === 'x' && re[i + 2] === '{') {
        const end = re.indexOf('}', i + 3);
        if (end < 0) throw new RegexError('error parsing regexp: invalid escape sequence');
        out += `\\u{${re.slice(i + 3, end)}}`;
        i = end + 1;
        continue;
      } else if (n < '\x80' && !/[A-Za-z0-9]/.test(n) && !JS_SYNTAX.includes(n) && !(inClass && n === '-')) {
        out += '\\x' + n.charCodeAt(0).toString(16).padStart(2, '0');
      } else out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (re.startsWith('[:', i)) {
        const end = re.indexOf(':]', i + 2);
        if (end >= 0) {
          const name = re.slice(i + 2, end);
          if (POSIX[name] === undefined) throw new RegexError(`error parsing regexp: invalid character class range: \`[:${name}:]\``);
          out += POSIX[name];
          i = end + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (re[i] === '^') { out += '^'; i++; }
      if (re[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && re[i + 1] === '?') {
      if (re[i + 2] === 'P' && re[i + 3] === '<') { out += '(?<'; i += 4; continue; }
      if (re[i + 2] === '<' && re[i + 3] !== '=' && re[i + 3] !== '!') { out += '(?<'; i += 3; continue; }
      if (re[i + 2] === ':') { out += '(?:'; i += 3; continue; }
      // Inline flags: JavaScript has no scoped flags, so they apply to the whole pattern.
      const inline = /^\(\?([imsU]*)(\)|:)/.exec(re.slice(i));
      if (inline) {
        if (inline[1]!.includes('U')) throw new RegexError('error parsing regexp: ungreedy flag is not supported');
        for (const fl of inline[1]!) if (!flags.includes(fl)) flags += fl;
        out += inline[2] === ':' ? '(?:' : '';
        i += inline[0].length;
        continue;
      }
      throw new RegexError('error parsing regexp: invalid or unsupported Perl syntax: `(?' + (re[i + 2] ?? '') + '`');
    }
    if (c === '{') {
      // A brace that does not form a repetition {n}, {n,} or {n,m} is a literal in Go.
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
      if (!rep) { out += '\\{'; i++; continue; }
      if (Number(rep[1]) > 1000 || Number(rep[3] || 0) > 1000) throw new RegexError(`error parsing regexp: invalid repeat count: \`${rep[0]}\``);
      out += rep[0];
      i += rep[0].length;
      continue;
    }
    out += c === '.' ? (flags.includes('s') ? '[\\s\\S]' : '[^\\n]') : c === '}' || c === ']' ? '\\' + c : c;
    i++;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new RegexError(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
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
    if (/^[0-9]+$/.test(name) && !(name.length > 1 && name.startsWith('0')) && name.length <= 8) {
      out += m[Number(name)] ?? '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out;
}

/** Regexp.ReplaceAllString with Go's rules for empty matches. */
export function goReplaceAll(re: RegExp, src: string, template: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += expand(template, m);
    lastMatchEnd = a1;
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}
