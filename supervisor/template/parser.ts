// Recursive-descent parser following text/template/parse/parse.go, including its checks:
// undefined functions and variables, misplaced {{end}}/{{else}}/{{break}}, bad pipelines.
import { TemplateError } from './errors.js';
import { type Item, lex } from './lexer.js';
import { LiteralError, parseNumber, unquote, unquoteChar } from './literals.js';
import type {
  ArgNode, CommandNode, ListNode, Node, PipeNode, TemplateNode, VariableNode,
} from './nodes.js';
import { isEmptyTree } from './nodes.js';
import { positionOf } from './position.js';

/** All templates of one parse: the main one under its own name plus every define/block. */
export type TreeSet = Map<string, ListNode>;

type Terminator = { kind: 'end' | 'else'; pos: number; ifOrWith: boolean };

const KEYWORD_TYPES = new Set(['block', 'break', 'continue', 'define', 'dot', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

function itemString(it: Item): string {
  if (it.type === 'eof') return 'EOF';
  if (it.type === 'error') return it.val;
  if (KEYWORD_TYPES.has(it.type)) return `<${it.val}>`;
  return JSON.stringify(it.val.length > 10 ? it.val.slice(0, 10) : it.val) + (it.val.length > 10 ? '...' : '');
}

export function parse(text: string, name: string, hasFunc: (n: string) => boolean): TreeSet {
  return new Parser(text, name, hasFunc).parseAll();
}

class Parser {
  private readonly items: Item[];
  private i = 0;
  private lastPos = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly trees: TreeSet = new Map();

  constructor(private readonly text: string, private readonly name: string, private readonly hasFunc: (n: string) => boolean) {
    this.items = lex(text);
  }

  private fail(msg: string, pos = this.lastPos): never {
    const { line, column } = positionOf(this.text, pos);
    throw new TemplateError(this.name, line, column, msg);
  }
  private next(): Item {
    const it = this.items[Math.min(this.i, this.items.length - 1)]!;
    if (this.i < this.items.length) this.i++;
    this.lastPos = it.pos;
    return it;
  }
  private backup(n = 1): void { this.i -= n; }
  private peek(): Item { return this.items[Math.min(this.i, this.items.length - 1)]!; }
  private nextNonSpace(): Item {
    let it = this.next();
    while (it.type === 'space') it = this.next();
    return it;
  }
  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }
  private unexpected(it: Item, context: string): never {
    if (it.type === 'error') this.fail(it.val, it.pos);
    this.fail(`unexpected ${itemString(it)} in ${context}`, it.pos);
  }
  private expect(type: Item['type'], context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }

  /** Adds a finished tree, refusing a second non-empty definition of one name. */
  private add(name: string, root: ListNode): void {
    const old = this.trees.get(name);
    if (old === undefined || isEmptyTree(old)) this.trees.set(name, root);
    else if (!isEmptyTree(root)) this.fail(`template: multiple definition of template ${JSON.stringify(name)}`);
  }

  /** Runs `fn` with fresh variable scope and range depth, as Go does for define/block bodies. */
  private nested<T>(fn: () => T): T {
    const [vars, depth] = [this.vars, this.rangeDepth];
    this.vars = ['$'];
    this.rangeDepth = 0;
    try { return fn(); } finally { this.vars = vars; this.rangeDepth = depth; }
  }

  parseAll(): TreeSet {
    const root: ListNode = { kind: 'list', pos: 0, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const start = this.i;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.nested(() => this.parseDefinition());
          continue;
        }
        this.i = start;
      }
      const n = this.textOrAction();
      if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) this.fail(`unexpected {{${n.kind}}}`, n.pos);
      root.nodes.push(n as Node);
    }
    this.add(this.name, root);
    return this.trees;
  }

  private parseDefinition(): void {
    const ctx = 'define clause';
    const tok = this.nextNonSpace();
    if (tok.type !== 'string' && tok.type !== 'rawString') this.unexpected(tok, ctx);
    const name = this.unquote(tok.val);
    this.expect('rightDelim', ctx);
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in ${ctx}`, end.pos);
    this.add(name, list);
  }

  private unquote(s: string): string {
    try { return unquote(s); } catch (e) { return this.fail(e instanceof LiteralError ? e.message : 'invalid syntax'); }
  }

  private itemList(): [ListNode, Terminator] {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if ('ifOrWith' in n) return [list, n];
      list.nodes.push(n);
    }
    const eof = this.peekNonSpace();
    if (eof.type === 'error') this.fail(eof.val, eof.pos);
    return this.fail('unexpected EOF', eof.pos);
  }

  private textOrAction(): Node | Terminator {
    const it = this.nextNonSpace();
    if (it.type === 'text') return { kind: 'text', pos: it.pos, text: it.val };
    if (it.type === 'leftDelim') return this.action();
    if (it.type === 'comment') return { kind: 'text', pos: it.pos, text: '' };
    return this.unexpected(it, 'input');
  }

  private action(): Node | Terminator {
    const it = this.nextNonSpace();
    switch (it.type) {
      case 'block': return this.blockControl();
      case 'break': case 'continue': {
        if (this.rangeDepth === 0) this.fail(`{{${it.type}}} outside {{range}}`, it.pos);
        const tok = this.nextNonSpace();
        if (tok.type !== 'rightDelim') this.unexpected(tok, `{{${it.type}}}`);
        return { kind: it.type, pos: it.pos };
      }
      case 'else': {
        const p = this.peekNonSpace();
        if (p.type === 'if' || p.type === 'with') return { kind: 'else', pos: p.pos, ifOrWith: true };
        this.expect('rightDelim', 'else');
        return { kind: 'else', pos: it.pos, ifOrWith: false };
      }
      case 'end':
        this.expect('rightDelim', 'end');
        return { kind: 'end', pos: it.pos, ifOrWith: false };
      case 'if': case 'range': case 'with': return this.control(it.type, it.pos);
      case 'template': return this.templateControl();
      default: break;
    }
    this.backup();
    const pos = this.peek().pos;
    return { kind: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private control(kind: 'if' | 'range' | 'with', pos: number): Node {
    const saved = this.vars.length;
    try {
      const pipe = this.pipeline(kind, 'rightDelim');
      if (kind === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.kind === 'else') {
        const p = this.peek();
        if ((kind === 'if' && p.type === 'if') || (kind === 'with' && p.type === 'with')) {
          // "{{else if x}}" is "{{else}}{{if x}}...{{end}}" whose {{end}} is shared.
          const k = this.next().type as 'if' | 'with';
          elseList = { kind: 'list', pos: next.pos, nodes: [this.control(k, p.pos)] };
        } else {
          const [l, end] = this.itemList();
          if (end.kind !== 'end') this.fail(`expected end; found {{${end.kind}}}`, end.pos);
          elseList = l;
        }
      }
      return { kind, pos, pipe, list, elseList };
    } finally {
      this.vars.length = saved;
    }
  }

  private templateName(ctx: string): { name: string; pos: number } {
    const tok = this.nextNonSpace();
    if (tok.type !== 'string' && tok.type !== 'rawString') this.unexpected(tok, ctx);
    return { name: this.unquote(tok.val), pos: tok.pos };
  }

  private templateControl(): TemplateNode {
    const { name, pos } = this.templateName('template clause');
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline('template clause', 'rightDelim');
    }
    return { kind: 'template', pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const ctx = 'block clause';
    const { name, pos } = this.templateName(ctx);
    const pipe = this.pipeline(ctx, 'rightDelim');
    this.nested(() => {
      const [list, end] = this.itemList();
      if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in ${ctx}`, end.pos);
      this.add(name, list);
    });
    return { kind: 'template', pos, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const pipe: PipeNode = { kind: 'pipe', pos: this.peekNonSpace().pos, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const tok = this.nextNonSpace();
      if (tok.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (tok.type) {
        case 'bool': case 'charConst': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default: this.unexpected(tok, context);
      }
    }
  }

  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') return;
      const start = this.i;
      this.nextNonSpace();
      const after = this.peek();
      const next = this.peekNonSpace();
      const variable: VariableNode = { kind: 'variable', pos: v.pos, ident: [v.val] };
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(variable);
        this.vars.push(v.val);
        return;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(variable);
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      void after;
      this.i = start;
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.fail(`non executable command in pipeline stage ${i + 2}`, c.pos);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const tok = this.next();
      if (tok.type === 'space') continue;
      if (tok.type === 'rightDelim' || tok.type === 'rightParen') this.backup();
      else if (tok.type !== 'pipe') this.unexpected(tok, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null || this.peek().type !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos: node.pos, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos: node.pos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return this.fail(`unexpected . after term ${JSON.stringify(node.kind === 'string' ? node.quoted : node.kind === 'number' ? node.text : node.kind === 'dot' ? '.' : String(node.kind === 'bool' ? node.value : 'nil'))}`);
      default: return { kind: 'chain', pos: node.pos, node, fields };
    }
  }

  private term(): ArgNode | null {
    const tok = this.nextNonSpace();
    const pos = tok.pos;
    switch (tok.type) {
      case 'identifier':
        if (!this.hasFunc(tok.val)) this.fail(`function ${JSON.stringify(tok.val)} not defined`, pos);
        return { kind: 'identifier', pos, name: tok.val };
      case 'dot': return { kind: 'dot', pos };
      case 'nil': return { kind: 'nil', pos };
      case 'variable':
        if (!this.vars.includes(tok.val)) this.fail(`undefined variable ${JSON.stringify(tok.val)}`, pos);
        return { kind: 'variable', pos, ident: [tok.val] };
      case 'field': return { kind: 'field', pos, ident: [tok.val.slice(1)] };
      case 'bool': return { kind: 'bool', pos, value: tok.val === 'true' };
      case 'charConst': case 'number':
        try {
          if (tok.type === 'charConst') {
            return { kind: 'number', pos, text: tok.val, isInt: true, idealFloat: false, value: unquoteChar(tok.val) };
          }
          return { kind: 'number', pos, text: tok.val, ...parseNumber(tok.val) };
        } catch (e) {
          return this.fail(e instanceof LiteralError ? e.message : 'invalid number', pos);
        }
      case 'leftParen': return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string': case 'rawString':
        return { kind: 'string', pos, quoted: tok.val, text: this.unquote(tok.val) };
      default:
        this.backup();
        return null;
    }
  }
}
