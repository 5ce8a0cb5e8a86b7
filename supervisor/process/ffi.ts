/**
 * The two libc calls the zombie reaper needs, behind one interface, loaded through whichever FFI
 * the current runtime offers: `bun:ffi` in Bun, `Deno.dlopen` in Deno, `koffi` in Node. Each
 * backend lives in its own module and is imported lazily, so no runtime ever parses another's
 * FFI (Node and Deno cannot resolve `bun:ffi`; Bun and Deno do not need koffi's native addon).
 */
import type { Libc } from './libc.js';

/** Names to try with dlopen: glibc first, then musl (Alpine), whose libc is its loader. */
export function libcCandidates(arch: string = process.arch): string[] {
  const muslArch = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : arch;
  return ['libc.so.6', `/lib/ld-musl-${muslArch}.so.1`, `libc.musl-${muslArch}.so.1`, 'libc.so'];
}

export type Runtime = 'bun' | 'deno' | 'node';

export function detectRuntime(): Runtime {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return 'bun';
  if (g.Deno !== undefined) return 'deno';
  return 'node';
}

/** Decodes a raw wait status the way the shell reports it: exit code, or 128 + signal. */
export function describeWaitStatus(status: number): string {
  const signal = status & 0x7f;
  return signal === 0 ? `exit code ${(status >> 8) & 0xff}` : `signal ${signal}`;
}

/**
 * Loads libc through the runtime's FFI. Never throws: returns the reason as a string when FFI is
 * unavailable (koffi not installed, Deno without --allow-ffi, no libc found).
 */
export async function loadLibc(): Promise<Libc | string> {
  const runtime = detectRuntime();
  try {
    // The backend modules are plain relative imports of our own files: safe everywhere.
    if (runtime === 'bun') return await (await import('./ffi-bun.js')).loadBunLibc(libcCandidates());
    if (runtime === 'deno') return await (await import('./ffi-deno.js')).loadDenoLibc(libcCandidates());
    return await (await import('./ffi-node.js')).loadNodeLibc(libcCandidates());
  } catch (err) {
    return `${runtime} FFI unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
}
