/**
 * Restart back-off. ContainerPilot restarts a job the instant it exits, so a job that crashes at
 * once (`restarts: "unlimited"`) pins a CPU. We restart at once only after a run that stayed up
 * for STABLE_MS; after a shorter ("quick") run the k-th consecutive quick exit waits
 * INITIAL_MS * 2^(k-1), capped at MAX_MS, with jitter (a uniform draw in [50%, 100%] of that),
 * so a crash loop settles at about one start every 5-10 s and replicas do not restart in step.
 * A run of STABLE_MS or longer resets the sequence.
 * Not discovery/retry-backoff.ts: that one paces calls to an unreachable Consul (seconds, up to
 * 30 s, jitter around the delay, reset by a success); this one paces a local process and must stay
 * short (100 ms up to 10 s, never above the delay) and be reset by a run that stayed up.
 */
export const INITIAL_MS = 100;
export const MAX_MS = 10_000;
export const STABLE_MS = 5_000;

export class RestartBackoff {
  private quickExits = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** Delay before the restart that follows a run of `ranMs`. */
  delayAfter(ranMs: number): number {
    if (ranMs >= STABLE_MS) {
      this.quickExits = 0;
      return 0;
    }
    const base = Math.min(MAX_MS, INITIAL_MS * 2 ** this.quickExits);
    this.quickExits = Math.min(this.quickExits + 1, 30);
    return Math.round(base * (0.5 + 0.5 * this.random()));
  }
}
