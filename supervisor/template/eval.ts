// Evaluation of pipelines, commands, fields, variables and function calls (exec.go's eval*).
import { TemplateError } from './errors.js';
import type { State } from './exec.js';
import { GO_TYPE, INTERNAL, type FuncSig, type ParamType, type TemplateFunc } from './func-types.js';
import type { ArgNode, ChainNode, CommandNode, IdentifierNode, NumberNode, PipeNode, VariableNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { GoComplex, GoFloat, NO_VALUE, isTrue, kindOf, mapGet, sliceElem, typeName } from './values.js';

/** Marks "no value piped in" (Go's missingVal), distinct from any real value. */
const NO_FINAL = Symbol('no final');
type Final = unknown;

const ANY_SIG: FuncSig = { params: [], variadic: 'any' };

export function evalPipeline(st: State, dot: unknown, pipe: PipeNode): unknown {
  st.at(pipe);
  let value: Final = NO_FINAL;
  for (const cmd of pipe.cmds) {
    value = evalCommand(st, dot, cmd, value);
    // Like Go's unwrapping of interface{} results: a nil interface becomes no value.
    if (value === undefined || value === null) value = NO_VALUE;
  }
  for (const v of pipe.decl) {
    if (pipe.isAssign) st.setVar(v.ident[0]!, value);
    else st.push(v.ident[0]!, value);
  }
  return value;
}

function idealConstant(n: NumberNode): unknown {
  if (n.complex) return new GoComplex(n.complex.re, n.complex.im);
  return n.idealFloat ? new GoFloat(Number(n.value)) : n.value;
}

function notAFunction(st: State, args: ArgNode[], final: Final): void {
  if (args.length > 1 || final !== NO_FINAL) st.fail(`can't give argument to non-function ${nodeString(args[0]!)}`);
}

function evalCommand(st: State, dot: unknown, cmd: CommandNode, final: Final): unknown {
  st.step();
  const first = cmd.args[0]!;
  switch (first.kind) {
    case 'field': return evalFieldChain(st, dot, dot, first, first.ident, cmd.args, final);
    case 'chain': return evalChain(st, dot, first, cmd.args, final);
    case 'identifier': return evalFunction(st, dot, first, cmd.args, final);
    case 'pipe': notAFunction(st, cmd.args, final); return evalPipeline(st, dot, first);
    case 'variable': return evalVariable(st, dot, first, cmd.args, final);
    default: break;
  }
  st.at(first);
  notAFunction(st, cmd.args, final);
  switch (first.kind) {
    case 'bool': return first.value;
    case 'dot': return dot;
    case 'nil': return st.fail('nil is not a command');
    case 'number': return idealConstant(first);
    case 'string': return first.text;
  }
}

function evalFieldChain(st: State, dot: unknown, receiver: unknown, node: ArgNode, ident: string[], args: ArgNode[], final: Final): unknown {
  st.at(node);
  for (let i = 0; i < ident.length - 1; i++) receiver = evalField(st, ident[i]!, [], NO_FINAL, receiver);
  return evalField(st, ident[ident.length - 1]!, args, final, receiver);
}

function evalField(st: State, name: string, args: ArgNode[], final: Final, receiver: unknown): unknown {
  if (receiver === NO_VALUE) return NO_VALUE;
  const hasArgs = args.length > 1 || final !== NO_FINAL;
  switch (kindOf(receiver)) {
    case 'struct':
      if (Object.prototype.hasOwnProperty.call(receiver, name)) {
        if (hasArgs) st.fail(`${name} has arguments but cannot be invoked as function`);
        return (receiver as Record<string, unknown>)[name];
      }
      break;
    case 'map':
      if (hasArgs) st.fail(`${name} is not a method but has arguments`);
      return mapGet(receiver, name);
    case 'invalid': case 'nil':
      return st.fail(`nil pointer evaluating interface {}.${name}`);
    default: break;
  }
  return st.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`);
}

function evalChain(st: State, dot: unknown, chain: ChainNode, args: ArgNode[], final: Final): unknown {
  st.at(chain);
  if (chain.node.kind === 'nil') st.fail(`indirection through explicit nil in ${nodeString(chain)}`);
  const pipe = evalArg(st, dot, 'value', chain.node);
  return evalFieldChain(st, dot, pipe, chain, chain.fields, args, final);
}

function evalVariable(st: State, dot: unknown, v: VariableNode, args: ArgNode[], final: Final): unknown {
  st.at(v);
  const value = st.varValue(v.ident[0]!);
  if (v.ident.length === 1) {
    notAFunction(st, args, final);
    return value;
  }
  return evalFieldChain(st, dot, value, v, v.ident.slice(1), args, final);
}

function evalFunction(st: State, dot: unknown, node: IdentifierNode, args: ArgNode[] | null, final: Final): unknown {
  st.at(node);
  const fn = st.ctx.funcs.get(node.name);
  if (fn === undefined) return st.fail(`${JSON.stringify(node.name)} is not a defined function`);
  return evalCall(st, dot, fn, node, args ? args.slice(1) : [], final);
}

function evalCall(st: State, dot: unknown, fn: TemplateFunc, node: IdentifierNode, args: ArgNode[], final: Final): unknown {
  const name = node.name;
  const sig = fn.sig ?? ANY_SIG;
  const numIn = args.length + (final !== NO_FINAL ? 1 : 0);
  const numFixed = sig.params.length;
  if (sig.variadic) {
    if (numIn < numFixed) st.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
  } else if (numIn !== numFixed) st.fail(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);

  if (name === 'and' || name === 'or') {
    // Short-circuit: stop at the first value that decides the result.
    let v: unknown;
    for (const a of args) {
      v = evalArg(st, dot, 'value', a);
      if (isTrue(v) === (name === 'or')) return v;
    }
    return final !== NO_FINAL ? validateType(st, final, 'value') : v;
  }
  const argv: unknown[] = [];
  let i = 0;
  for (; i < numFixed && i < args.length; i++) argv.push(evalArg(st, dot, sig.params[i]!, args[i]!));
  for (; i < args.length; i++) argv.push(evalArg(st, dot, sig.variadic!, args[i]!));
  if (final !== NO_FINAL) {
    const t = sig.variadic ? (numIn - 1 < numFixed ? sig.params[numIn - 1]! : sig.variadic) : sig.params[numFixed - 1]!;
    argv.push(validateType(st, final, t));
  }
  st.at(node);
  const internal = (fn as { [INTERNAL]?: boolean })[INTERNAL] === true;
  let result: unknown;
  try {
    result = (fn as (...a: unknown[]) => unknown)(...(internal ? argv : argv.map(toPlain)));
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
    st.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof result === 'string' && result.length > st.ctx.limits.maxOutput) {
    st.fail(`error calling ${name}: result exceeds ${st.ctx.limits.maxOutput} characters`);
  }
  return result;
}

/** What external functions receive: plain JavaScript numbers, and undefined for no value. */
function toPlain(v: unknown): unknown {
  if (v instanceof GoFloat) return v.value;
  return v === NO_VALUE ? undefined : v;
}

function evalArg(st: State, dot: unknown, type: ParamType, n: ArgNode): unknown {
  st.at(n);
  switch (n.kind) {
    case 'dot': return validateType(st, dot, type);
    case 'nil':
      if (type === 'any' || type === 'strings') return null;
      if (type === 'value') return NO_VALUE;
      return st.fail(`cannot assign nil to ${GO_TYPE[type]}`);
    case 'field': return validateType(st, evalFieldChain(st, dot, dot, n, n.ident, [n], NO_FINAL), type);
    case 'variable': return validateType(st, evalVariable(st, dot, n, [], NO_FINAL), type);
    case 'pipe': return validateType(st, evalPipeline(st, dot, n), type);
    case 'identifier': return validateType(st, evalFunction(st, dot, n, null, NO_FINAL), type);
    case 'chain': return validateType(st, evalChain(st, dot, n, [], NO_FINAL), type);
    default: break;
  }
  switch (type) {
    case 'bool': if (n.kind === 'bool') return n.value; return st.fail(`expected bool; found ${nodeString(n)}`);
    case 'int': if (n.kind === 'number' && n.isInt) return n.value; return st.fail(`expected integer; found ${nodeString(n)}`);
    case 'string': if (n.kind === 'string') return n.text; return st.fail(`expected string; found ${nodeString(n)}`);
    case 'strings': return st.fail(`can't handle ${nodeString(n)} for arg of type []string`);
    default:
      if (n.kind === 'number') return idealConstant(n);
      return n.kind === 'bool' ? n.value : n.text;
  }
}

/** Checks a computed value against a parameter type (Go's validateType). */
function validateType(st: State, value: unknown, type: ParamType): unknown {
  if (value === undefined || value === NO_VALUE) {
    if (type === 'any' || type === 'value') return value;
    if (value === undefined) return st.fail(`wrong type for value; expected ${GO_TYPE[type]}; got interface {}`);
    if (type === 'strings') return null;
    return st.fail(`invalid value; expected ${GO_TYPE[type]}`);
  }
  const kind = kindOf(value);
  const ok = type === 'any' || type === 'value' || (type === 'string' && kind === 'string') ||
    (type === 'int' && kind === 'int') || (type === 'bool' && kind === 'bool') ||
    (type === 'strings' && Array.isArray(value) && sliceElem(value) === 'string');
  if (!ok) st.fail(`wrong type for value; expected ${GO_TYPE[type]}; got ${value === null ? 'interface {}' : typeName(value)}`);
  return value;
}
