/**
 * `-once`: fetch every dependency (non-blocking, retried a bounded number of times while Consul
 * is unreachable), render each template to its fixed point, write what changed, run commands.
 */
import { readFileSync } from 'node:fs';
import { readFailure } from '../../base/os-errors.js';
import { describeSettings } from '../discovery/settings.js';
import { applyRendered, type Rendered } from './apply.js';
import type { RenderConsul } from './consul-api.js';
import type { Dep } from './deps.js';
import { RenderError } from './errors.js';
import { fetchDep } from './fetch.js';
import type { Brain } from './pass.js';
import { resolveTemplate } from './resolve.js';
import type { TemplateSpec } from './spec.js';
import { sleep } from '../timers/timers.js';

export interface RenderRunOptions {
  consul: RenderConsul;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
  commandTimeoutMs?: number;
  /** Delays between attempts while Consul cannot be reached (default 0.25, 0.5, 1, 2 s). */
  retryDelaysMs?: number[];
}


export function readTemplate(spec: TemplateSpec): string {
  try {
    return readFileSync(spec.source, 'utf8');
  } catch (err) {
    throw new RenderError(readFailure('template', spec.source, err), 2);
  }
}

async function fetchWithRetry(opts: RenderRunOptions, dep: Dep, brain: Brain): Promise<void> {
  const delays = opts.retryDelaysMs ?? [250, 500, 1000, 2000];
  for (let attempt = 0; ; attempt++) {
    try {
      const { value } = await fetchDep(opts.consul, dep);
      // consul-template would wait for the key forever; a one-shot render reports it instead.
      if (dep.kind === 'kv' && dep.block && value === null) {
        throw new RenderError(`key ${JSON.stringify(dep.path)} does not exist in Consul (use keyOrDefault for an optional key)`, 1);
      }
      brain.set(dep.key, value);
      return;
    } catch (err) {
      if (err instanceof RenderError) throw err;
      const delay = delays[attempt];
      if (delay === undefined) {
        const why = err instanceof Error ? err.message : String(err);
        throw new RenderError(`consul ${describeSettings(opts.consul.settings)} unreachable after ${attempt + 1} attempts: ${why}`, 1);
      }
      await sleep(delay);
    }
  }
}

/** Renders every template once; returns the number of failed commands. */
export async function renderOnce(specs: TemplateSpec[], opts: RenderRunOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const brain: Brain = new Map();
  const rendered: Rendered[] = [];
  for (const spec of specs) {
    const text = readTemplate(spec);
    const pass = await resolveTemplate(text, spec.source, brain, env, (deps) =>
      Promise.all(deps.map((d) => fetchWithRetry(opts, d, brain))).then(() => undefined),
    );
    if (pass.error) throw new RenderError(pass.error.message, 2);
    rendered.push({ spec, output: pass.output ?? '' });
  }
  return applyRendered(rendered, opts);
}
