/**
 * What the zombie reaper needs of libc, whichever FFI backend provides it (ffi-bun.ts,
 * ffi-deno.ts, ffi-node.ts; ffi.ts picks one). The backends import this file, never the loader.
 */
import type { ProcReader } from './reaper-proc.js';

export interface Libc {
  /** Which backend answered (for logs and tests). */
  readonly backend: 'bun:ffi' | 'deno' | 'koffi';
  /**
   * `waitpid(pid, &status, WNOHANG)`. Returns the reaped pid with its raw wait status, 0 if the
   * process is not reapable yet, -1 if it is not (or no longer) our child.
   */
  waitpidNoHang(pid: number): { pid: number; status: number };
  /** `prctl(PR_SET_CHILD_SUBREAPER, 1)`: orphans of our descendants reparent to us. */
  setChildSubreaper(): boolean;
  /** Reads /proc through libc where the runtime's own file APIs may not (Deno). */
  readonly procReader?: ProcReader;
}

export const WNOHANG = 1;
export const PR_SET_CHILD_SUBREAPER = 36;
