// Template structure (parse.go's parse, itemList, action and control clauses): text, actions,
// if/range/with/else/end, define, template and block, and the set of named templates.
import type { ListNode, Node, PipeNode, TemplateNode } from './nodes.js';
import { isEmptyTree } from './nodes.js';
import { PipelineParser } from './parser-pipeline.js';

/** All templates of one parse: the main one under its own name plus every define/block. */
export type TreeSet = Map<string, ListNode>;

type Terminator = { kind: 'end' | 'else'; pos: number; ifOrWith: boolean };

export function parse(text: string, name: string, hasFunc: (n: string) => boolean): TreeSet {
  return new Parser(text, name, hasFunc).parseAll();
}

class Parser extends PipelineParser {
  private rangeDepth = 0;
  private readonly trees: TreeSet = new Map();

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

}
