// Template execution, following text/template/exec.go: walking the tree, variables,
// control structures, and evaluation of pipelines and commands (see eval.ts).
import { TemplateError } from './errors.js';
import { formatValue } from './format.js';
import type { TemplateFunc } from './func-types.js';
import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, TemplateNode } from './nodes.js';
import { nodeString } from './nodes.js';
import type { TreeSet } from './parser.js';
import { positionOf } from './position.js';
import { NO_VALUE, isTrue, kindOf, mapEntries, toNumber } from './values.js';

export interface Limits { maxSteps: number; maxOutput: number; maxDepth: number }

class BreakSignal {}
class ContinueSignal {}

/** Shared state of one execution; a template call copies it with fresh variables. */
export interface ExecContext {
  readonly text: string;
  readonly name: string;
  readonly trees: TreeSet;
  readonly funcs: Map<string, TemplateFunc>;
  readonly limits: Limits;
  steps: number;
  out: string[];
  outLength: number;
}

type Evaluator = (st: State, dot: unknown, pipe: PipeNode) => unknown;

export class State {
  vars: { name: string; value: unknown }[];
  // The node being evaluated, for error messages; described only when an error happens.
  private atNode: ArgNode | CommandNode | { pos: number; desc: string } = { pos: 0, desc: '' };

  constructor(readonly ctx: ExecContext, readonly tmplName: string, dot: unknown, readonly depth: number,
    private readonly evalPipe: Evaluator) {
    this.vars = [{ name: '$', value: dot }];
  }

  at(n: ArgNode | CommandNode | { pos: number; desc: string }): void {
    this.atNode = n;
  }

  fail(msg: string): never {
    const { line, column } = positionOf(this.ctx.text, this.atNode.pos);
    const full = 'desc' in this.atNode ? this.atNode.desc : nodeString(this.atNode);
    const desc = full.length > 20 ? full.slice(0, 20) + '...' : full;
    throw new TemplateError(this.ctx.name, line, column, `executing ${JSON.stringify(this.tmplName)} at <${desc}>: ${msg}`);
  }

  step(): void {
    if (++this.ctx.steps > this.ctx.limits.maxSteps) this.fail(`execution exceeded ${this.ctx.limits.maxSteps} steps`);
  }

  write(s: string): void {
    this.ctx.outLength += s.length;
    if (this.ctx.outLength > this.ctx.limits.maxOutput) this.fail(`output exceeded ${this.ctx.limits.maxOutput} characters`);
    this.ctx.out.push(s);
  }

  push(name: string, value: unknown): void { this.vars.push({ name, value }); }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) { this.vars[i]!.value = value; return; }
    }
    this.fail(`undefined variable: ${name}`);
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  walk(dot: unknown, node: Node | ListNode): void {
    this.step();
    switch (node.kind) {
      case 'list': for (const n of node.nodes) this.walk(dot, n); return;
      case 'text': if (node.text) this.write(node.text); return;
      case 'action': {
        const val = this.evalPipe(this, dot, node.pipe);
        if (node.pipe.decl.length === 0) this.print(node.pipe, val);
        return;
      }
      case 'if': case 'with': return this.walkIfOrWith(node.kind, dot, node);
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'break': throw new BreakSignal();
      case 'continue': throw new ContinueSignal();
      default: this.fail(`unknown node: ${node.kind}`);
    }
  }

  private print(pipe: PipeNode, val: unknown): void {
    this.at(pipe);
    if (kindOf(val) === 'func') this.fail(`can't print ${nodeString(pipe)} of type func`);
    this.write(val === null ? '' : formatValue(val));
  }

  private walkIfOrWith(kind: 'if' | 'with', dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipe(this, dot, node.pipe);
      if (isTrue(val)) this.walk(kind === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      this.at({ pos: node.pos, desc: 'range' });
      const val = this.evalPipe(this, dot, node.pipe);
      const inner = this.vars.length;
      const { decl, isAssign } = node.pipe;
      const iteration = (index: unknown, elem: unknown): void => {
        if (decl.length > 0) {
          if (isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.vars[this.vars.length - 1]!.value = elem;
        }
        if (decl.length > 1) {
          if (isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.vars[this.vars.length - 2]!.value = index;
        }
        try {
          this.walk(elem, node.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = inner;
        }
      };
      let ran = false;
      try {
        switch (kindOf(val)) {
          case 'slice':
            (val as unknown[]).forEach((e, i) => { ran = true; this.step(); iteration(i, e); });
            break;
          case 'map':
            for (const [k, v] of mapEntries(val)) { ran = true; this.step(); iteration(k, v); }
            break;
          case 'int': {
            if (decl.length > 1) this.fail(`can't use ${formatValue(val)} to iterate over more than one variable`);
            const n = toNumber(val);
            for (let i = 0; i < n; i++) { ran = true; this.step(); iteration(NO_VALUE, i); }
            break;
          }
          case 'nil': break;
          case 'invalid':
            // No data is skipped; a missing key is "", which cannot be ranged (as in Go's string map).
            if (val !== NO_VALUE) this.fail(`range can't iterate over ${formatValue(val)}`);
            break;
          default: this.fail(`range can't iterate over ${formatValue(val)}`);
        }
      } catch (e) {
        if (!(e instanceof BreakSignal)) throw e;
        return;
      }
      if (!ran && node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    this.at({ pos: node.pos, desc: `template ${JSON.stringify(node.name)}` });
    const tree = this.ctx.trees.get(node.name);
    if (tree === undefined) this.fail(`template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= this.ctx.limits.maxDepth) this.fail(`exceeded maximum template depth (${this.ctx.limits.maxDepth})`);
    const newDot = node.pipe ? this.evalPipe(this, dot, node.pipe) : NO_VALUE;
    const st = new State(this.ctx, node.name, newDot, this.depth + 1, this.evalPipe);
    try {
      st.walk(newDot, tree);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal) this.fail('break or continue outside range');
      throw e;
    }
  }
}
