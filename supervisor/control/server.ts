/**
 * The control plane: HTTP/1.1 on a unix socket (ContainerPilot v3's endpoints). Connections are
 * not kept alive (as in ContainerPilot), so stop() closes promptly; requests still running when
 * the grace period ends are cut off. On Bun (and the binary) Bun's native server listens: it
 * binds in well under a millisecond where node:http on Bun takes about three, and the jobs wait
 * for the socket. Node and Deno serve through node:http. answer.ts is the same for both.
 */
import { detectRuntime } from '../process/ffi.js';
import type { ControlServer, ControlServerOptions } from './server-types.js';

export type { ControlServer, ControlServerOptions } from './server-types.js';

/** Claims the socket and serves. Throws ControlSocketInUseError if another supervisor is live there. */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  // Each runtime loads only its own server (node:http is not loaded on Bun at all).
  if (detectRuntime() === 'bun') return (await import('./server-bun.js')).startBunControlServer(opts);
  return (await import('./server-node.js')).startNodeControlServer(opts);
}
