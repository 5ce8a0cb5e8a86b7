// Parse tree node types, one per text/template/parse node kind that execution needs.

export type Node =
  | TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode
  | PipeNode | CommandNode | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode
  | NilNode | BoolNode | NumberNode | StringNode;

export type ArgNode =
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode
  | NumberNode | StringNode | PipeNode;

export interface ListNode { kind: 'list'; pos: number; nodes: Node[] }
export interface TextNode { kind: 'text'; pos: number; text: string }
export interface ActionNode { kind: 'action'; pos: number; pipe: PipeNode }
export interface BranchNode { pos: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface IfNode extends BranchNode { kind: 'if' }
export interface RangeNode extends BranchNode { kind: 'range' }
export interface WithNode extends BranchNode { kind: 'with' }
export interface TemplateNode { kind: 'template'; pos: number; name: string; pipe: PipeNode | null }
export interface BreakNode { kind: 'break'; pos: number }
export interface ContinueNode { kind: 'continue'; pos: number }
export interface PipeNode {
  kind: 'pipe'; pos: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[];
}
export interface CommandNode { kind: 'command'; pos: number; args: ArgNode[] }
export interface FieldNode { kind: 'field'; pos: number; ident: string[] }
/** ident[0] is the variable name including "$"; the rest are fields. */
export interface VariableNode { kind: 'variable'; pos: number; ident: string[] }
export interface ChainNode { kind: 'chain'; pos: number; node: ArgNode; fields: string[] }
export interface IdentifierNode { kind: 'identifier'; pos: number; name: string }
export interface DotNode { kind: 'dot'; pos: number }
export interface NilNode { kind: 'nil'; pos: number }
export interface BoolNode { kind: 'bool'; pos: number; value: boolean }
/** A numeric constant; `idealFloat` marks literals Go treats as float64 when untyped. */
export interface NumberNode {
  kind: 'number'; pos: number; text: string; isInt: boolean; idealFloat: boolean; value: number | bigint;
  complex?: { re: number; im: number };
}
export interface StringNode { kind: 'string'; pos: number; quoted: string; text: string }

/** Renders an argument node back to source form, for error messages. */
export function nodeString(n: ArgNode | CommandNode): string {
  switch (n.kind) {
    case 'field': return '.' + n.ident.join('.');
    case 'variable': return n.ident.join('.');
    case 'chain': return (n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + '.' + n.fields.join('.');
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'command': return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'pipe': {
      const decl = n.decl.length ? n.decl.map((d) => d.ident[0]).join(', ') + (n.isAssign ? ' = ' : ' := ') : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
  }
}

/** Go's parse.IsEmptyTree: only whitespace text and comments. */
export function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
}
