/**
 * libc through `Deno.dlopen`. Only imported when running in Deno.
 * Deno refuses /proc to its file APIs unless the program runs with --allow-all (even with
 * --allow-read=/proc), so /proc is read through libc here too: --allow-ffi is then the one flag
 * the reaper needs.
 */
import { PR_SET_CHILD_SUBREAPER, WNOHANG, type Libc } from './libc.js';
import type { ProcReader } from './reaper-proc.js';

type Fn = (...args: unknown[]) => unknown;
// Minimal local typing of the Deno APIs we use (the build has no Deno types).
interface DenoApi {
  permissions: { querySync(d: { name: 'ffi' }): { state: string } };
  dlopen(path: string, symbols: Record<string, { parameters: string[]; result: string }>): { symbols: Record<string, Fn> };
  UnsafePointerView: new (pointer: object) => { getCString(offset?: number): string };
}

const SYMBOLS = {
  waitpid: { parameters: ['i32', 'buffer', 'i32'], result: 'i32' },
  prctl: { parameters: ['i32', 'u64', 'u64', 'u64', 'u64'], result: 'i32' },
  opendir: { parameters: ['buffer'], result: 'pointer' },
  readdir: { parameters: ['pointer'], result: 'pointer' },
  closedir: { parameters: ['pointer'], result: 'i32' },
  open: { parameters: ['buffer', 'i32'], result: 'i32' },
  read: { parameters: ['i32', 'buffer', 'usize'], result: 'isize' },
  close: { parameters: ['i32'], result: 'i32' },
};
/** Offset of d_name in struct dirent on 64-bit Linux (glibc and musl): ino 8, off 8, reclen 2, type 1. */
const DIRENT_NAME_OFFSET = 19;
const O_RDONLY_CLOEXEC = 0o2000000;

const cString = (s: string): Uint8Array => new TextEncoder().encode(s + '\0');

function procReader(deno: DenoApi, f: Record<keyof typeof SYMBOLS, Fn>): ProcReader {
  const buf = new Uint8Array(4096); // a /proc/<pid>/stat line is well under 1 KB
  return {
    list(dir) {
      const handle = f.opendir(cString(dir)) as object | null;
      if (handle === null) return [];
      const names: string[] = [];
      try {
        for (let entry = f.readdir(handle) as object | null; entry !== null; entry = f.readdir(handle) as object | null) {
          names.push(new deno.UnsafePointerView(entry).getCString(DIRENT_NAME_OFFSET));
        }
      } finally {
        f.closedir(handle);
      }
      return names;
    },
    read(path) {
      const fd = f.open(cString(path), O_RDONLY_CLOEXEC) as number;
      if (fd < 0) return null;
      try {
        let len = 0;
        for (let n = 1; n > 0 && len < buf.length; len += n) {
          n = Number(f.read(fd, buf.subarray(len), BigInt(buf.length - len)));
          if (n < 0) return null;
          if (n === 0) break;
        }
        return new TextDecoder('latin1').decode(buf.subarray(0, len));
      } finally {
        f.close(fd);
      }
    },
  };
}

export async function loadDenoLibc(candidates: string[]): Promise<Libc | string> {
  const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;
  // Ask first: with a TTY attached Deno would otherwise stop and prompt, and PID 1 must not.
  // `--allow-ffi` cannot be scoped to a bare library name, so the flag must be unscoped.
  if (deno.permissions.querySync({ name: 'ffi' }).state !== 'granted') {
    return 'Deno needs --allow-ffi to reap zombies';
  }
  const errors: string[] = [];
  for (const name of candidates) {
    try {
      const f = deno.dlopen(name, SYMBOLS).symbols as Record<keyof typeof SYMBOLS, Fn>;
      const status = new Int32Array(1);
      return {
        backend: 'deno',
        waitpidNoHang(pid) {
          status[0] = 0;
          return { pid: f.waitpid(pid, status, WNOHANG) as number, status: status[0] ?? 0 };
        },
        setChildSubreaper: () => f.prctl(PR_SET_CHILD_SUBREAPER, 1n, 0n, 0n, 0n) === 0,
        procReader: procReader(deno, f),
      };
    } catch (err) {
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return `Deno.dlopen could not open libc (${errors.join('; ')})`;
}
