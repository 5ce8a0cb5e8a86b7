/** libc through `bun:ffi`. Only imported when running in Bun. */
import { PR_SET_CHILD_SUBREAPER, WNOHANG, type Libc } from './libc.js';

// Minimal local typing of what we use from bun:ffi (no @types/bun in the build).
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
}

// A non-literal specifier: Node and Deno must not try to resolve `bun:ffi` when they load this
// module graph, and bundlers must not try to follow it.
const BUN_FFI = ['bun', 'ffi'].join(':');

export async function loadBunLibc(candidates: string[]): Promise<Libc | string> {
  const ffi = (await import(BUN_FFI)) as BunFfi;
  const errors: string[] = [];
  for (const name of candidates) {
    try {
      const lib = ffi.dlopen(name, {
        waitpid: { args: ['i32', 'ptr', 'i32'], returns: 'i32' },
        prctl: { args: ['i32', 'u64', 'u64', 'u64', 'u64'], returns: 'i32' },
      });
      const { waitpid, prctl } = lib.symbols as Record<'waitpid' | 'prctl', (...args: unknown[]) => number>;
      const status = new Int32Array(1);
      return {
        backend: 'bun:ffi',
        waitpidNoHang(pid) {
          status[0] = 0;
          return { pid: waitpid(pid, status, WNOHANG), status: status[0] ?? 0 };
        },
        setChildSubreaper: () => prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0,
      };
    } catch (err) {
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return `bun:ffi could not open libc (${errors.join('; ')})`;
}
