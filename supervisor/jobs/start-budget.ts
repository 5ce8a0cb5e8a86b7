/**
 * How many more times a job may start (ContainerPilot's startsRemain / restartsRemain): `once`
 * allows one start, `each` unlimited; `restarts` allows N (or unlimited) runs after an exit or
 * at interval ticks. `listening` is whether the start event is still taken.
 */
import type { JobConfig } from '../config/model.js';

const UNLIMITED = -1;

export class StartBudget {
  private starts: number;
  private restarts: number;
  listening = true;

  constructor(config: JobConfig) {
    const w = config.when;
    this.starts = w.kind === 'event' && w.mode === 'each' ? UNLIMITED : 1;
    this.restarts = config.restarts === 'unlimited' ? UNLIMITED : config.restarts;
  }

  /** A start event came: false when no start is left (the job should complete). */
  takeStart(): boolean {
    if (this.starts === 0) {
      this.listening = false;
      return false;
    }
    if (this.starts !== UNLIMITED) {
      this.starts--;
      // Do not take the start event again while this run is still going.
      if (this.starts === 0 || this.restarts === 0) this.listening = false;
    }
    return true;
  }

  canRestart(): boolean {
    return this.restarts === UNLIMITED || this.restarts > 0;
  }

  takeRestart(): void {
    if (this.restarts > 0) this.restarts--;
  }

  /** More start events may come (an `each` job between runs). */
  get startsLeft(): boolean {
    return this.starts !== 0;
  }

  /**
   * `shutdown`: no more restarts. A pre/post-stop hook keeps one start (it still runs once for
   * the job it follows) and returns true; any other job has nothing left and returns false.
   */
  quit(isStopHook: boolean): boolean {
    this.restarts = 0;
    if (isStopHook) {
      if (this.starts === UNLIMITED) this.starts = 1;
      if (this.starts > 0) this.listening = true;
      return true;
    }
    this.exhaust();
    return false;
  }

  exhaust(): void {
    this.starts = 0;
    this.restarts = 0;
    this.listening = false;
  }
}
