// Go text/template for configuration files and consul-template style templates.
import { TemplateError } from './errors.js';
import { evalPipeline } from './eval.js';
import { type ExecContext, type Limits, State } from './exec.js';
import type { TemplateFunc } from './func-types.js';
import { builtinFuncs } from './funcs-builtin.js';
import { containerPilotFuncs } from './funcs-containerpilot.js';
import { parse } from './parser.js';
import { NO_VALUE } from './values.js';

export { TemplateError };
export { FuncError, withSig, type TemplateFunc } from './func-types.js';
export { GoFloat, goStruct, typedSlice } from './values.js';
export { lazyStructs } from './lazy-struct.js';

export interface RenderOptions {
  /** Name used in error messages (usually the file name). */
  name?: string;
  /** Extra functions; they replace builtins and ContainerPilot functions of the same name. */
  funcs?: Record<string, TemplateFunc>;
  /** Environment read by `env` (default: `data` when it is a plain object, else process.env). */
  env?: Record<string, string | undefined>;
  /** Execution bounds; exceeding one raises a TemplateError. */
  limits?: Partial<Limits>;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 5_000_000, maxOutput: 64 * 1024 * 1024, maxDepth: 200 };

function isPlainObject(v: unknown): v is Record<string, string | undefined> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

/**
 * Renders a Go text/template over `data` with missingkey=zero semantics: a missing map key
 * renders empty and is false. Every failure, at parse or execution time, is a TemplateError
 * whose message starts with `name:line:col:`.
 */
export function renderTemplate(text: string, data: unknown, options: RenderOptions = {}): string {
  const name = options.name ?? 'template';
  try {
    const env = options.env ?? (isPlainObject(data) ? data : process.env);
    const funcs = new Map([...builtinFuncs(), ...containerPilotFuncs(env)]);
    for (const [k, fn] of Object.entries(options.funcs ?? {})) funcs.set(k, fn);
    const trees = parse(text, name, (n) => funcs.has(n));
    const ctx: ExecContext = {
      text, name, trees, funcs, limits: { ...DEFAULT_LIMITS, ...options.limits }, steps: 0, out: [], outLength: 0,
    };
    const dot = data === undefined ? NO_VALUE : data;
    const root = trees.get(name);
    if (root !== undefined) new State(ctx, name, dot, 0, evalPipeline).walk(dot, root);
    return ctx.out.join('');
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    // Stack exhaustion from pathological nesting, or any other failure, stays a TemplateError.
    const what = e instanceof RangeError ? 'template is nested too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    throw new TemplateError(name, 1, 1, what);
  }
}
