/**
 * Renders a template to a fixed point: render, fetch what the pass found missing, render again,
 * until a pass needs nothing new (bounded: a template whose dependencies keep changing with the
 * data, e.g. `service (key "x")` chains, settles within a few rounds or fails).
 */
import type { Dep } from './deps.js';
import { RenderError } from './errors.js';
import { renderPass, type Brain, type PassResult } from './pass.js';

export const MAX_ROUNDS = 16;

export async function resolveTemplate(
  text: string,
  name: string,
  brain: Brain,
  env: Record<string, string | undefined>,
  fetchMissing: (deps: Dep[]) => Promise<void>,
): Promise<PassResult> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pass = renderPass(text, name, brain, env);
    if (pass.missing.size === 0) return pass;
    await fetchMissing([...pass.missing.values()]);
  }
  throw new RenderError(`${name}: dependencies did not settle after ${MAX_ROUNDS} rounds`, 2);
}
