/**
 * Registry of pids the spawner owns. The zombie reaper (PID 1 mode) must never reap these:
 * the runtime has to observe their exit itself to report the exit code. A pid is tracked from
 * spawn until the runtime's 'exit' event for it has fired.
 */

const tracked = new Set<number>();

export function trackChild(pid: number): void {
  tracked.add(pid);
}

export function untrackChild(pid: number): void {
  tracked.delete(pid);
}

export function isTrackedChild(pid: number): boolean {
  return tracked.has(pid);
}
