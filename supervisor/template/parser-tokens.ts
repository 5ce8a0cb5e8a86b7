// Token access for the parser: lookahead, backup and error reporting with line and column.
import { TemplateError } from './errors.js';
import { type Item, lex } from './lexer.js';
import { positionOf } from './position.js';

const KEYWORD_TYPES = new Set(['block', 'break', 'continue', 'define', 'dot', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

export function itemString(it: Item): string {
  if (it.type === 'eof') return 'EOF';
  if (it.type === 'error') return it.val;
  if (KEYWORD_TYPES.has(it.type)) return `<${it.val}>`;
  return JSON.stringify(it.val.length > 10 ? it.val.slice(0, 10) : it.val) + (it.val.length > 10 ? '...' : '');
}

export class TokenStream {
  protected readonly items: Item[];
  protected i = 0;
  protected lastPos = 0;

  constructor(protected readonly text: string, protected readonly name: string) {
    this.items = lex(text);
  }

  protected fail(msg: string, pos = this.lastPos): never {
    const { line, column } = positionOf(this.text, pos);
    throw new TemplateError(this.name, line, column, msg);
  }
  protected next(): Item {
    const it = this.items[Math.min(this.i, this.items.length - 1)]!;
    if (this.i < this.items.length) this.i++;
    this.lastPos = it.pos;
    return it;
  }
  protected backup(n = 1): void { this.i -= n; }
  protected peek(): Item { return this.items[Math.min(this.i, this.items.length - 1)]!; }
  protected nextNonSpace(): Item {
    let it = this.next();
    while (it.type === 'space') it = this.next();
    return it;
  }
  protected peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }
  protected unexpected(it: Item, context: string): never {
    if (it.type === 'error') this.fail(it.val, it.pos);
    this.fail(`unexpected ${itemString(it)} in ${context}`, it.pos);
  }
  protected expect(type: Item['type'], context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }

}
