/**
 * Claiming the control socket path. The socket is created owner-only (0600) without a window in
 * which others could connect: it is bound inside a fresh 0700 directory beside the target, chmod-ed,
 * then hard-linked into place (link never replaces an existing file, so two supervisors starting
 * at once cannot steal each other's socket). A leftover socket is removed only if nothing answers.
 */
import { chmodSync, linkSync, lstatSync, mkdtempSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { ControlSocketInUseError } from './errors.js';
import { after } from '../timers/timers.js';

/** Longest unix socket path Linux accepts (sun_path is 108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107;
const PROBE_TIMEOUT_MS = 1000;

interface BunConnect {
  connect(opts: { unix: string; socket: Record<string, (...args: never[]) => void> }): Promise<{ end(): void }>;
}

/** Resolves true when something accepts connections at `path`. */
export function socketAnswers(path: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  // On Bun its native connect: loading node:net costs a binary about 2 ms of the start that
  // follows a killed supervisor (a `docker restart` keeps the stale socket file).
  const bun = (globalThis as { Bun?: BunConnect }).Bun;
  if (bun) return bunSocketAnswers(bun, path, timeoutMs);
  // Only a stale socket is probed: node:net is not loaded at every start.
  const { connect } = createRequire(import.meta.url)('node:net') as typeof import('node:net');
  return new Promise((resolve, reject) => {
    const sock = connect({ path });
    const timer = after(timeoutMs, () => {
      sock.destroy();
      // A listener that never accepts (backlog full, stopped process) is still a live owner.
      resolve(true);
    });
    sock.once('connect', () => {
      timer.clear();
      sock.destroy();
      resolve(true);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      timer.clear();
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(false);
      else reject(err);
    });
  });
}

function bunSocketAnswers(bun: BunConnect, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // A listener that never accepts (backlog full, stopped process) is still a live owner.
    const timer = after(timeoutMs, () => resolve(true));
    const quiet = () => undefined;
    bun.connect({ unix: path, socket: { open: (s: { end(): void }) => s.end(), data: quiet, error: quiet, connectError: quiet } }).then(
      () => {
        timer.clear();
        resolve(true);
      },
      (err: NodeJS.ErrnoException) => {
        timer.clear();
        if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(false);
        else reject(err);
      },
    );
  });
}

/** Removes a stale socket at `path`; throws if the path is live or is not a socket. */
export async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) {
    throw new ControlSocketInUseError(path, `control socket ${path} exists and is not a socket; remove it or set control.socket`);
  }
  if (await socketAnswers(path)) {
    throw new ControlSocketInUseError(path, `control socket ${path} is in use: another supervisor is running there`);
  }
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** What listenOwnerOnly binds: a node:net server (netListener) or Bun's native one (server-bun.ts). */
export interface Listener {
  /** Binds at `path`; a promise when the outcome is not known on return. */
  listen(path: string): Promise<void> | undefined;
  readonly listening: boolean;
  close(): Promise<void>;
}

/** A node:net (or node:http) server as a Listener. */
export function netListener(server: Server): Listener {
  return {
    listen: (path) => listen(server, path),
    get listening() {
      return server.listening;
    },
    close: () => closeQuietly(server),
  };
}

/**
 * Binds `server` at `path`. Node, Bun and Deno bind inside listen() itself: the socket exists and
 * queues connections when it returns, while the 'listening' callback comes ticks later (1-7 ms
 * here, far more on a busy host). The jobs start only after the socket exists (as in
 * ContainerPilot), so a server already bound is not waited for; one that is not (a failed bind)
 * is, until the event that says why.
 */
function listen(server: Server, path: string): Promise<void> | undefined {
  server.listen({ path });
  if (server.listening) return undefined;
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
  });
}

function closeQuietly(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface ClaimedSocket {
  readonly path: string;
  /** Removes the socket file if it is still the one we created. */
  release(): void;
}

/** Clears a stale socket, then makes `server` listen at `path` with mode 0600. */
export async function listenOwnerOnly(server: Listener, path: string): Promise<ClaimedSocket> {
  await clearStaleSocket(path);
  const privateDir = mkdtempSync(join(dirname(path), `.${basename(path)}.`));
  const staged = join(privateDir, 's');
  try {
    if (Buffer.byteLength(staged) <= MAX_SOCKET_PATH) {
      await server.listen(staged);
      chmodSync(staged, 0o600);
      linkSync(staged, path);
    } else {
      // No room for the staging directory in sun_path: bind in place and tighten at once.
      await server.listen(path);
      chmodSync(path, 0o600);
    }
  } catch (err) {
    if (server.listening) await server.close();
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ControlSocketInUseError(path, `control socket ${path} is in use: another supervisor is running there`);
    }
    throw err;
  } finally {
    // The folder holds the staged name at most: unlink and rmdir, where a recursive rmSync costs
    // Node 0.7 ms of its start. rmSync stays for anything unexpected left in it.
    try {
      unlinkSync(staged);
    } catch {
      // never bound there (the in-place bind, or a failed one)
    }
    try {
      rmdirSync(privateDir);
    } catch {
      rmSync(privateDir, { recursive: true, force: true });
    }
  }
  const ino = lstatSync(path).ino;
  return {
    path,
    release() {
      try {
        if (lstatSync(path).ino === ino) unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

/** listenOwnerOnly for the control server: any failure but "in use" names the socket it could not create. */
export async function claimControlSocket(server: Listener, path: string): Promise<ClaimedSocket> {
  try {
    return await listenOwnerOnly(server, path);
  } catch (err) {
    if (err instanceof ControlSocketInUseError) throw err;
    throw new Error(`cannot create control socket ${path}: ${(err as Error).message}`, { cause: err });
  }
}
