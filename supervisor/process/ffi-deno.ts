/** libc through `Deno.dlopen`. Only imported when running in Deno. */
import type { Libc } from './ffi.js';
import { PR_SET_CHILD_SUBREAPER, WNOHANG } from './ffi.js';

// Minimal local typing of the Deno APIs we use (the build has no Deno types).
interface DenoApi {
  permissions: { querySync(d: { name: 'ffi' } | { name: 'read'; path: string }): { state: string } };
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
}

export async function loadDenoLibc(candidates: string[]): Promise<Libc | string> {
  const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;
  // Ask first: with a TTY attached Deno would otherwise stop and prompt, and PID 1 must not.
  // `--allow-ffi` cannot be scoped to a bare library name, so the flag must be unscoped.
  if (deno.permissions.querySync({ name: 'ffi' }).state !== 'granted') {
    return 'Deno needs --allow-ffi to reap zombies';
  }
  if (deno.permissions.querySync({ name: 'read', path: '/proc' }).state !== 'granted') {
    return 'Deno needs --allow-read=/proc (or --allow-read) to reap zombies';
  }
  const errors: string[] = [];
  for (const name of candidates) {
    try {
      const lib = deno.dlopen(name, {
        waitpid: { parameters: ['i32', 'buffer', 'i32'], result: 'i32' },
        prctl: { parameters: ['i32', 'u64', 'u64', 'u64', 'u64'], result: 'i32' },
      });
      const { waitpid, prctl } = lib.symbols as Record<'waitpid' | 'prctl', (...args: unknown[]) => number>;
      const status = new Int32Array(1);
      return {
        backend: 'deno',
        waitpidNoHang(pid) {
          status[0] = 0;
          return { pid: waitpid(pid, status, WNOHANG), status: status[0] ?? 0 };
        },
        setChildSubreaper: () => prctl(PR_SET_CHILD_SUBREAPER, 1n, 0n, 0n, 0n) === 0,
      };
    } catch (err) {
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return `Deno.dlopen could not open libc (${errors.join('; ')})`;
}
