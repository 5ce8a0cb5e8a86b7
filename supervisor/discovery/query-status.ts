/**
 * Consul's blocking-query rules shared by the watches and the renderer's watch mode: which
 * answers carry an index Consul should never send, and one log line per change of a query
 * loop's state (answering, failing with a given error, an index anomaly), never one per query.
 */

/** What is wrong with the index of an answer to a query asked with `asked` (Consul's rules). */
export function indexAnomaly(asked: bigint, got: bigint | undefined): string | undefined {
  if (got === undefined) return undefined; // no index at all: blocking unavailable, poll
  if (got === 0n) return 'Consul answered X-Consul-Index 0 (a Consul bug: blocking on it would return at once)';
  if (got < asked) return 'Consul\'s index went backwards (agent restarted or restored)';
  return undefined;
}

/**
 * One log line per change of the loop's state (answering, failing with a given error, an index
 * anomaly), never one per query: a Consul that keeps answering 500 costs one line, and its
 * recovery one more.
 */
export class QueryStatus {
  private state = 'ok';
  private failures = 0;

  constructor(
    private readonly label: string,
    private readonly log: { warn(m: string): void; info(m: string): void },
  ) {}

  get anomalous(): boolean {
    return this.state.startsWith('anomaly:');
  }

  failed(message: string): void {
    this.failures++;
    this.enter(`error:${message}`, () => this.log.warn(`${this.label}: ${message}`));
  }

  answered(): void {
    if (this.failures > 0) {
      this.log.info(`${this.label}: Consul reachable again after ${this.failures} failure${this.failures === 1 ? '' : 's'}`);
      this.failures = 0;
      this.state = 'ok';
    }
  }

  anomaly(kind: string, message: string): void {
    this.enter(`anomaly:${kind}`, () => this.log.warn(`${this.label}: ${message}`));
  }

  sound(): void {
    if (this.anomalous) this.log.info(`${this.label}: Consul's index is sound again: blocking queries resumed`);
    this.state = 'ok';
  }

  private enter(state: string, log: () => void): void {
    if (state === this.state) return;
    this.state = state;
    log();
  }
}
