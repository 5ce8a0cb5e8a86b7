/**
 * The app's view of its backends in Consul: one-shot reads, a cache kept fresh by blocking
 * queries for the services it watches, a 'change' event when a watched set of healthy instances
 * changes, and a refresh of everything on SIGHUP (what ContainerPilot's onChange hooks send).
 */
import { EventEmitter } from 'node:events';
import process from 'node:process';
import { resolveEndpoint, type Endpoint, type Env } from './endpoint.js';
import { readHealthy, type Instance } from './health.js';

export interface ServicesOptions {
  /** host:port or an http(s) URL; default: CONSUL_HTTP_ADDR, CONSUL, then 127.0.0.1:8500. */
  address?: string;
  /** default: CONSUL_HTTP_TOKEN. */
  token?: string;
  /** How `service()` picks among the healthy instances. Default round-robin. */
  strategy?: 'round-robin' | 'random';
  /** Refresh every known service on SIGHUP. Default true (as `piloted` did). */
  sighup?: boolean;
  /** How long Consul may hold a blocking query open, in seconds. Default 300. */
  waitSeconds?: number;
  env?: Env;
}

export class NoHealthyInstanceError extends Error {
  override readonly name = 'NoHealthyInstanceError';
}

interface Known {
  instances: Instance[] | undefined;
  next: number;
  watching?: AbortController;
}

// A loop's pauses stay far below the 2^31 ms that JavaScript timers can hold.
const MIN_QUERY_GAP_MS = 1_000;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 30_000;

export class Services extends EventEmitter {
  readonly endpoint: Endpoint;
  private readonly known = new Map<string, Known>();
  private readonly strategy: 'round-robin' | 'random';
  private readonly waitSeconds: number;
  private readonly onSighup: (() => void) | undefined;
  private sighupInstalled = false;
  private lastError: string | undefined;

  constructor(opts: ServicesOptions = {}) {
    super();
    this.endpoint = resolveEndpoint(opts.address, opts.token, opts.env);
    this.strategy = opts.strategy ?? 'round-robin';
    this.waitSeconds = opts.waitSeconds ?? 300;
    this.onSighup = opts.sighup === false ? undefined : () => void this.refresh().catch(() => {});
  }

  /** Every healthy instance of `name` (sorted by ID): the watched cache, else one read. */
  async services(name: string): Promise<Instance[]> {
    const entry = this.entry(name);
    if (entry.watching && entry.instances !== undefined) return entry.instances;
    const { instances } = await readHealthy(this.endpoint, name);
    this.update(name, instances);
    return instances;
  }

  /**
   * One healthy instance of `name`, in turn (round-robin) or at random. With `timeoutMs`, waits
   * that long for one to pass; otherwise rejects at once with NoHealthyInstanceError.
   */
  async service(name: string, opts: { timeoutMs?: number } = {}): Promise<Instance> {
    let instances = await this.services(name);
    if (instances.length === 0 && (opts.timeoutMs ?? 0) > 0) instances = await this.healthyWithin(name, opts.timeoutMs!);
    if (instances.length === 0) throw new NoHealthyInstanceError(`no healthy instance of "${name}" in Consul at ${this.endpoint.url}`);
    const entry = this.entry(name);
    const i = this.strategy === 'random' ? Math.floor(Math.random() * instances.length) : entry.next++ % instances.length;
    return instances[i]!;
  }

  /** Keeps `name`'s instances fresh with blocking queries; emits 'change' (name, instances). */
  watch(name: string): this {
    const entry = this.entry(name);
    if (entry.watching) return this;
    entry.watching = new AbortController();
    void this.watchLoop(name, entry.watching.signal);
    return this;
  }

  /** Reads every service asked for so far again; emits 'change' for each that changed. */
  async refresh(): Promise<void> {
    await Promise.all([...this.known.keys()].map(async (name) => this.update(name, (await readHealthy(this.endpoint, name)).instances)));
  }

  /** Stops every watch and the SIGHUP listener. */
  close(): void {
    for (const entry of this.known.values()) entry.watching?.abort();
    if (this.sighupInstalled && this.onSighup) process.off('SIGHUP', this.onSighup);
    this.sighupInstalled = false;
  }

  private entry(name: string): Known {
    let entry = this.known.get(name);
    if (!entry) {
      entry = { instances: undefined, next: 0 };
      this.known.set(name, entry);
      if (this.onSighup && !this.sighupInstalled) {
        process.on('SIGHUP', this.onSighup);
        this.sighupInstalled = true;
      }
    }
    return entry;
  }

  private update(name: string, instances: Instance[]): void {
    const entry = this.entry(name);
    const before = entry.instances;
    entry.instances = instances;
    if (before === undefined || !sameInstances(before, instances)) this.emit('change', name, instances);
  }

  private healthyWithin(name: string, timeoutMs: number): Promise<Instance[]> {
    const watchedBefore = this.entry(name).watching !== undefined;
    this.watch(name);
    return new Promise((resolve) => {
      const done = (instances: Instance[]) => {
        clearTimeout(timer);
        this.off('change', onChange);
        if (!watchedBefore) this.unwatch(name);
        resolve(instances);
      };
      const onChange = (changed: string, instances: Instance[]) => {
        if (changed === name && instances.length > 0) done(instances);
      };
      const timer = setTimeout(() => done([]), Math.min(timeoutMs, 2 ** 31 - 1));
      this.on('change', onChange);
    });
  }

  private unwatch(name: string): void {
    const entry = this.known.get(name);
    entry?.watching?.abort();
    if (entry) delete entry.watching;
  }

  /**
   * Consul's blocking-query guidance: an index that is 0 or goes backwards resets to 0, and
   * errors back off exponentially with jitter. Only an answer with a new index after a sound one
   * is followed at once by the next query; any other waits out the rest of a second, so a Consul
   * that keeps lying about its index cannot make this a hot loop.
   */
  private async watchLoop(name: string, signal: AbortSignal): Promise<void> {
    let index = 0;
    let backoff = BACKOFF_FIRST_MS;
    let sound = true;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const answer = await readHealthy(this.endpoint, name, { index, waitSeconds: this.waitSeconds, signal });
        this.recovered();
        backoff = BACKOFF_FIRST_MS;
        this.update(name, answer.instances);
        const advanced = answer.index > index && sound;
        sound = answer.index > 0 && answer.index >= index;
        index = sound ? answer.index : 0;
        if (!advanced) await pause(MIN_QUERY_GAP_MS - (Date.now() - started), signal);
      } catch (err) {
        if (signal.aborted) return;
        this.failed(err instanceof Error ? err : new Error(String(err)));
        index = 0;
        await pause(backoff / 2 + Math.random() * (backoff / 2), signal);
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
      }
    }
  }

  /** 'error' once per distinct failure, and only to listeners: a library must not crash its app. */
  private failed(err: Error): void {
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private recovered(): void {
    this.lastError = undefined;
  }
}

function sameInstances(a: readonly Instance[], b: readonly Instance[]): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
