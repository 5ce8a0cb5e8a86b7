/**
 * How eagerly the JavaScript engine compiles hot functions to machine code.
 *
 * The supervisor (`run`, and `render` as a daemon) is an event loop that spends its life waiting:
 * the optimising tiers buy it nothing a user can measure and cost every container memory (the
 * compiled code, its metadata, and the compilers' own pages of the executable, faulted in the
 * first time a function gets hot) and CPU (the compiling itself). Measured with 5 jobs and 1 s
 * exec checks: the single-file binary uses about 10 MiB less RSS, Node about 9 MiB less, and the
 * CPU of both is no higher (docs/runtimes.md). So the daemons keep their code in the interpreter
 * (JavaScriptCore's LLInt on Bun, Ignition on Node). Commands that compute and exit (`validate`
 * of a large config is 2-3 times slower interpreted) get the engine's normal policy.
 *
 * On Bun the policy is a scale on JavaScriptCore's tier-up thresholds, and a finite scale only
 * postpones: at 10,000, the binary's soak (bench/soak.mjs) compiled its hottest functions from
 * the 21st minute on, and each compile faulted in more pages of the executable (file-backed RSS
 * growing in steps, up to 4 MiB at once, more than an hour into the container's life; docs/runtimes.md). The
 * scale is therefore far past any uptime: a function needs more than 3 billion calls before
 * anything compiles it, as with Node's flags below. The soak's CPU was the same either way.
 *
 * The binary starts with the daemons' policy (scripts/build-binary.mjs: --compile-jit-policy), so
 * that start-up code, which runs once, is not compiled either. Deno has no such switch.
 * AUTOPILOT_JIT=normal gives a daemon the normal policy (a supervisor that renders large
 * templates all day, say); the Node bundle's build uses it to make a code cache that a process
 * with V8's default flags accepts.
 */
import { createRequire } from 'node:module';

/** JavaScriptCore's tier-up thresholds times this (Bun.unsafe.setJITPolicy; 1 is normal). */
export const DAEMON_JIT_SCALE = 1e9;

type BunUnsafe = { unsafe?: { setJITPolicy?: (scale: number) => void } };
const bun = (globalThis as { Bun?: BunUnsafe }).Bun;

/** For a long-lived supervisor: the interpreter only, where the runtime allows. */
export function daemonJit(env: NodeJS.ProcessEnv = process.env): void {
  if (env['AUTOPILOT_JIT'] === 'normal') {
    commandJit();
    return;
  }
  if (bun) {
    bun.unsafe?.setJITPolicy?.(DAEMON_JIT_SCALE);
    return;
  }
  if ('Deno' in globalThis) return;
  // V8 reads these when it decides to tier a function up; nothing is hot yet when a daemon
  // starts, so no compilation is in flight. Maglev and Sparkplug: the mid and baseline compilers.
  // node:v8 is required here: Bun and Deno never load it.
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--no-opt');
  v8.setFlagsFromString('--no-maglev');
  v8.setFlagsFromString('--no-sparkplug');
}

/** For a command that computes and exits: the engine's normal policy (the binary starts without it). */
export function commandJit(): void {
  bun?.unsafe?.setJITPolicy?.(1);
}
