// Pipelines, commands and operands (parse.go's pipeline, command, operand and term), with
// Go's checks for variable declarations, undefined functions and variables, and bad stages.
import { LiteralError, parseNumber, unquote, unquoteChar } from './literals.js';
import type { ArgNode, CommandNode, PipeNode, VariableNode } from './nodes.js';
import { TokenStream } from './parser-tokens.js';

export class PipelineParser extends TokenStream {
  protected vars: string[] = ['$'];

  constructor(text: string, name: string, protected readonly hasFunc: (n: string) => boolean) {
    super(text, name);
  }

  protected unquote(s: string): string {
    try { return unquote(s); } catch (e) { return this.fail(e instanceof LiteralError ? e.message : 'invalid syntax'); }
  }

  protected pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
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

  protected declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') return;
      const start = this.i;
      this.nextNonSpace();
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
      this.i = start;
      return;
    }
  }

  protected checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.fail(`non executable command in pipeline stage ${i + 2}`, c.pos);
      }
    });
  }

  protected command(): CommandNode {
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

  protected operand(): ArgNode | null {
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

  protected term(): ArgNode | null {
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
