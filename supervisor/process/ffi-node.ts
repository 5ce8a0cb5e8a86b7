/** libc through koffi (prebuilt N-API addon from npm). Only imported when running in Node. */
import type { Libc } from './ffi.js';
import { PR_SET_CHILD_SUBREAPER, WNOHANG } from './ffi.js';

type Koffi = typeof import('koffi');

// A non-literal specifier keeps bundlers (bun build --compile) from pulling koffi's native addon
// into builds that never run on Node.
const KOFFI = ['kof', 'fi'].join('');

export async function loadNodeLibc(candidates: string[]): Promise<Libc | string> {
  const imported = (await import(KOFFI)) as Koffi & { default?: Koffi };
  const koffi = imported.default ?? imported;
  const errors: string[] = [];
  for (const name of candidates) {
    try {
      const lib = koffi.load(name);
      const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
      const prctl = lib.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
      return {
        backend: 'koffi',
        waitpidNoHang(pid) {
          const out = [0];
          const got = waitpid(pid, out, WNOHANG) as number;
          return { pid: got, status: out[0] ?? 0 };
        },
        setChildSubreaper: () => prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0,
      };
    } catch (err) {
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return `koffi could not open libc (${errors.join('; ')})`;
}
