/**
 * libc through koffi's prebuilt N-API addon for this platform (`@koromix/koffi-linux-<arch>`, an
 * optional dependency that npm installs only on its own platform). Depending on the addon
 * package and not on `koffi` itself keeps installs free of install scripts: koffi's own package
 * declares one, which npm's default policy skips with a warning. Only imported in Node.
 */
import { PR_SET_CHILD_SUBREAPER, WNOHANG, type Libc } from './libc.js';

/** The part of koffi's API the reaper uses. */
interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => unknown };
}

/**
 * The addon package for this machine. Computed, so bundlers (bun build --compile) do not pull a
 * native addon into builds that never run on Node.
 */
export function koffiPackage(arch: string = process.arch): string {
  return ['@koromix', `koffi-${process.platform}-${arch}`].join('/');
}

export async function loadNodeLibc(candidates: string[]): Promise<Libc | string> {
  const name = koffiPackage();
  let koffi: Koffi;
  try {
    const imported = (await import(name)) as Koffi & { default?: Koffi };
    koffi = imported.default ?? imported;
  } catch (err) {
    return `${name} is not installed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  const errors: string[] = [];
  for (const path of candidates) {
    try {
      const lib = koffi.load(path);
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
      errors.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return `koffi could not open libc (${errors.join('; ')})`;
}
