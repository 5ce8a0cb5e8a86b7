// Tokenizer for Go text/template syntax, mirroring text/template/parse/lex.go state by state,
// so that trim markers, comments and error cases behave exactly like Go's.

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConst' | 'comment' | 'assign' | 'declare' | 'eof'
  | 'field' | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString'
  | 'rightDelim' | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  | 'block' | 'break' | 'continue' | 'define' | 'dot' | 'else' | 'end' | 'if' | 'nil'
  | 'range' | 'template' | 'with';

export interface Item { type: ItemType; val: string; pos: number }

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define',
  else: 'else', end: 'end', if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
};

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

export const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
export const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && ALNUM.test(c);
const hasLeftTrim = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1]);
const hasRightTrim = (s: string, at: number): boolean => isSpace(s[at]) && s[at + 1] === '-';

/** Lexes the whole input; the list ends with an 'eof' or an 'error' item. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  let actionStart = 0;
  const emit = (type: ItemType): void => {
    items.push({ type, val: input.slice(start, pos), pos: start });
    start = pos;
  };
  const fail = (msg: string): false => {
    items.push({ type: 'error', val: msg, pos: start });
    return false;
  };
  // Code points, not UTF-16 units, so that astral characters are one "rune" as in Go.
  const peek = (): string | undefined => {
    const cp = input.codePointAt(pos);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  };
  const next = (): string | undefined => {
    const c = peek();
    if (c !== undefined) pos += c.length;
    return c;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(input, pos) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = (): boolean => {
    const c = peek();
    if (c === undefined || isSpace(c) || '.,|:)('.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const skipLeadingSpace = (): void => {
    while (isSpace(input[pos])) pos++;
    start = pos;
  };

  // Returns true when text lexing should continue, false at end of input or error.
  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      emit('eof');
      return false;
    }
    if (x > pos || x > start) {
      pos = x;
      let end = pos;
      if (hasLeftTrim(input, pos + LEFT.length)) while (end > start && isSpace(input[end - 1])) end--;
      if (end > start) items.push({ type: 'text', val: input.slice(start, end), pos: start });
      start = pos;
    }
    return lexLeftDelim();
  };

  const lexLeftDelim = (): boolean => {
    pos += LEFT.length;
    const after = hasLeftTrim(input, pos) ? 2 : 0;
    if (input.startsWith(LEFT_COMMENT, pos + after)) {
      pos += after;
      start = pos;
      return lexComment();
    }
    items.push({ type: 'leftDelim', val: LEFT, pos: start });
    actionStart = start;
    pos += after;
    start = pos;
    parenDepth = 0;
    return lexInsideAction();
  };

  const lexComment = (): boolean => {
    pos += LEFT_COMMENT.length;
    const x = input.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) return fail('unclosed comment');
    pos = x + RIGHT_COMMENT.length;
    const { delim, trim } = atRightDelim();
    if (!delim) return fail('comment ends before closing delimiter');
    emit('comment');
    pos += (trim ? 2 : 0) + RIGHT.length;
    if (trim) while (isSpace(input[pos])) pos++;
    start = pos;
    return true;
  };

  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2;
      start = pos;
    }
    pos += RIGHT.length;
    emit('rightDelim');
    if (trim) skipLeadingSpace();
    return true;
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth === 0) return lexRightDelim(trim);
        return fail('unclosed left paren');
      }
      const r = next();
      if (r === undefined) {
        start = actionStart; // Point at the action's opening delimiter.
        return fail('unclosed action');
      }
      if (isSpace(r)) {
        pos -= 1;
        let n = 0;
        while (isSpace(input[pos])) { pos++; n++; }
        // A space before "-}}" belongs to the trim marker.
        if (hasRightTrim(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
          pos--;
          if (n === 1) { lexRightDelim(true); return true; }
        }
        emit('space');
      } else if (r === '=') emit('assign');
      else if (r === ':') {
        if (next() !== '=') return fail('expected :=');
        emit('declare');
      } else if (r === '|') emit('pipe');
      else if (r === '"' || r === "'") {
        if (!lexQuoted(r)) return false;
      } else if (r === '`') {
        const x = input.indexOf('`', pos);
        if (x < 0) return fail('unterminated raw quoted string');
        pos = x + 1;
        emit('rawString');
      } else if (r === '$') {
        if (!lexFieldOrVariable('variable')) return false;
      } else if (r === '.' && !(input[pos]! >= '0' && input[pos]! <= '9')) {
        if (!lexFieldOrVariable('field')) return false;
      } else if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        pos = start;
        if (!lexNumber()) return false;
      } else if (isAlphaNumeric(r)) {
        if (!lexIdentifier()) return false;
      } else if (r === '(') {
        parenDepth++;
        emit('leftParen');
      } else if (r === ')') {
        parenDepth--;
        if (parenDepth < 0) return fail('unexpected right paren');
        emit('rightParen');
      } else if (r >= ' ' && r <= '~') emit('char');
      else return fail(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  };

  const lexQuoted = (quote: string): boolean => {
    for (;;) {
      const c = next();
      if (c === '\\') {
        const e = next();
        if (e !== undefined && e !== '\n') continue;
      }
      if (c === undefined || c === '\n' || c === '\\') {
        return fail(quote === '"' ? 'unterminated quoted string' : 'unterminated character constant');
      }
      if (c === quote) break;
    }
    emit(quote === '"' ? 'string' : 'charConst');
    return true;
  };

  const badChar = (): false => {
    const c = peek();
    return fail(c === undefined ? 'bad character' : `bad character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return badChar();
    emit(type);
    return true;
  };

  const lexIdentifier = (): boolean => {
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return badChar();
    const word = input.slice(start, pos);
    const kw = KEYWORDS[word];
    if (kw !== undefined) emit(kw);
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const accept = (valid: string): boolean => {
    const c = input[pos];
    if (c !== undefined && valid.includes(c)) { pos++; return true; }
    return false;
  };
  const acceptRun = (valid: string): void => { while (accept(valid)) { /* absorb */ } };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) { accept('+-'); acceptRun('0123456789_'); }
    if (digits.length === 23 && accept('pP')) { accept('+-'); acceptRun('0123456789_'); }
    accept('i');
    if (isAlphaNumeric(peek())) { next(); return false; }
    return true;
  };
  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: "${input.slice(start, pos)}"`);
    const sign = input[pos];
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') return fail(`bad number syntax: "${input.slice(start, pos)}"`);
      emit('number');
      return true;
    }
    emit('number');
    return true;
  };

  while (lexText()) { /* one text run and one action per turn */ }
  return items;
}
