/**
 * Watch mode: render whenever a dependency's blocking query reports a change, and keep one
 * DepLoop per dependency the templates currently use. By default a change after a quiet period
 * renders at once; changes during a render or within `throttleMs` (250 ms) after one are
 * coalesced into one trailing render, so a burst gives a bounded number of renders. With `wait`
 * (consul-template's `-wait min:max`) a render waits instead for `min` without changes, at most
 * `max` after the first change. A template is written only once
 * all its dependencies have data. A broken template at the first render ends the run (exit 2);
 * later failures are logged and the watch goes on.
 */
import { applyRendered, type Rendered } from './apply.js';
import { DepLoop } from './dep-loop.js';
import type { Dep } from './deps.js';
import { RenderError } from './errors.js';
import { readTemplate, type RenderRunOptions } from './once.js';
import { renderPass, type Brain } from './pass.js';
import type { TemplateSpec } from './spec.js';
import { after, type Timer } from '../timers/timers.js';

export interface WatchOptions extends RenderRunOptions {
  /** Quiescence before a render (consul-template's `-wait`); absent: throttle instead. */
  wait?: { minMs: number; maxMs: number };
  /** Without `wait`: the least time between the end of a render and the next (default 250 ms). */
  throttleMs?: number;
  /** Blocking query wait (default 60 s). */
  queryWaitMs?: number;
}

export class RenderWatch {
  private readonly brain: Brain = new Map();
  private readonly loops = new Map<string, DepLoop>();
  private readonly texts: string[];
  private readonly rendered: boolean[];
  private timer: Timer | undefined;
  private firstChangeAt = 0;
  /** When the last render that wrote or ran something ended (the throttle's reference). */
  private lastRenderAt = -Infinity;
  private rendering: Promise<void> | undefined;
  private again = false;
  private readonly waitingLogged = new Set<string>();
  private stopped = false;
  private finish!: (err?: RenderError) => void;
  /** Resolves when stop() is called; rejects when the first render of a template is broken. */
  readonly done: Promise<void>;

  constructor(
    private readonly specs: TemplateSpec[],
    private readonly opts: WatchOptions,
  ) {
    this.texts = specs.map(readTemplate);
    this.rendered = specs.map(() => false);
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = (err) => (err ? reject(err) : resolve());
    });
    this.schedule();
  }

  async stop(err?: RenderError): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.clear();
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    this.loops.clear();
    await this.rendering;
    this.finish(err);
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.opts.wait) return this.scheduleQuiescent(this.opts.wait);
    // Throttle: a render in progress, or one already due, takes this change too.
    if (this.rendering) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    const delay = this.lastRenderAt + (this.opts.throttleMs ?? 250) - Date.now();
    if (delay <= 0) {
      void this.render();
      return;
    }
    this.timer = after(delay, () => {
      this.timer = undefined;
      void this.render();
    });
  }

  /** consul-template's quiescence: `min` after the last change, at most `max` after the first. */
  private scheduleQuiescent(wait: { minMs: number; maxMs: number }): void {
    const now = Date.now();
    if (this.timer === undefined) this.firstChangeAt = now;
    this.timer?.clear();
    const delay = Math.max(0, Math.min(wait.minMs, this.firstChangeAt + wait.maxMs - now));
    this.timer = after(delay, () => {
      this.timer = undefined;
      void this.render();
    });
  }

  private async render(): Promise<void> {
    if (this.rendering) {
      this.again = true;
      return;
    }
    this.rendering = this.renderAll()
      .then((applied) => {
        if (applied) this.lastRenderAt = Date.now();
      })
      .catch((err: unknown) => {
        this.opts.log(`render failed: ${err instanceof Error ? err.message : String(err)}`);
        this.lastRenderAt = Date.now();
      });
    await this.rendering;
    this.rendering = undefined;
    if (this.again && !this.stopped) {
      this.again = false;
      this.schedule();
    }
  }

  /** Renders every template whose data is complete; true when something was written or ran. */
  private async renderAll(): Promise<boolean> {
    const env = this.opts.env ?? process.env;
    const used = new Map<string, Dep>();
    const ready: Rendered[] = [];
    this.specs.forEach((spec, i) => {
      const pass = renderPass(this.texts[i]!, spec.source, this.brain, env);
      for (const [k, d] of pass.used) used.set(k, d);
      if (pass.missing.size > 0) {
        // Fetched yet still missing: a `key` that does not exist (yet); say so once.
        for (const [k, d] of pass.missing) {
          if (this.brain.has(k) && d.kind === 'kv' && !this.waitingLogged.has(k)) {
            this.waitingLogged.add(k);
            this.opts.log(`${spec.source}: waiting for key ${JSON.stringify(d.path)} to exist in Consul`);
          }
        }
        return;
      }
      if (pass.error) {
        if (!this.rendered[i]) void this.stop(new RenderError(pass.error.message, 2));
        else this.opts.log(pass.error.message);
        return;
      }
      this.rendered[i] = true;
      ready.push({ spec, output: pass.output ?? '' });
    });
    if (this.stopped) return false;
    this.syncLoops(used);
    if (ready.length === 0) return false;
    await applyRendered(ready, this.opts);
    return true;
  }

  /** One loop per used dependency; loops (and data) of dependencies no longer used go. */
  private syncLoops(used: Map<string, Dep>): void {
    for (const [key, loop] of this.loops) {
      if (used.has(key)) continue;
      void loop.stop();
      this.loops.delete(key);
      this.brain.delete(key);
    }
    for (const [key, dep] of used) {
      if (this.loops.has(key)) continue;
      this.loops.set(key, new DepLoop(dep, {
        consul: this.opts.consul, brain: this.brain, log: this.opts.log, waitMs: this.opts.queryWaitMs,
        onChange: () => this.schedule(),
      }));
    }
  }
}
