/**
 * The supervisor's event bus: jobs, watches, signals and the control socket publish events;
 * jobs subscribe to start on their `when`. Delivery is asynchronous (queued and delivered in
 * publish order on a microtask), so a publisher never re-enters a subscriber and a subscriber
 * may publish freely from inside its handler.
 */
import { after } from '../timers/timers.js';

export interface SupervisorEvent {
  /** startup shutdown healthy unhealthy exitSuccess exitFailed stopping stopped changed
   * enterMaintenance exitMaintenance timerExpired ... */
  code: string;
  /** 'global', a job name, 'watch.<name>', 'SIGHUP', 'SIGUSR2'. */
  source: string;
}

export type EventHandler = (e: SupervisorEvent) => void;

export interface EventBusOptions {
  /** A subscriber threw: report it (default: stderr). Delivery to the others goes on. */
  onError?: (err: unknown, e: SupervisorEvent) => void;
}

export class EventBus {
  private readonly onError: (err: unknown, e: SupervisorEvent) => void;
  private readonly handlers = new Set<EventHandler>();
  private readonly queue: SupervisorEvent[] = [];
  private draining = false;
  private idleWaiters: Array<() => void> = [];

  constructor(opts: EventBusOptions = {}) {
    // Never rethrow: an uncaught exception would end PID 1 and every job with it.
    this.onError =
      opts.onError ??
      ((err, e) => process.stderr.write(`event handler failed on ${e.code}/${e.source}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`));
  }

  publish(e: SupervisorEvent): void {
    this.queue.push({ code: e.code, source: e.source });
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Returns the unsubscribe function. A handler removed mid-delivery gets no further events. */
  subscribe(fn: EventHandler): () => void {
    // Wrap so the same function subscribed twice is two subscriptions.
    const h: EventHandler = (e) => fn(e);
    this.handlers.add(h);
    return () => {
      this.handlers.delete(h);
    };
  }

  /** Resolves once every event published so far has been delivered (used by tests and stop). */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    // Bounded per turn so a publish storm cannot starve timers and I/O.
    let budget = 1000;
    while (this.queue.length > 0 && budget-- > 0) {
      const e = this.queue.shift() as SupervisorEvent;
      for (const h of [...this.handlers]) {
        if (!this.handlers.has(h)) continue;
        try {
          h(e);
        } catch (err) {
          this.onError(err, e);
        }
      }
    }
    if (this.queue.length > 0) {
      after(0, () => this.drain());
      return;
    }
    this.draining = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
