/**
 * The built-in `http` health check: one GET, passing below 400, redirects not followed, bounded
 * by the check's timeout. A check runs every second per job for the supervisor's whole life, so
 * the cheaper client per runtime is used (measured: CPU per check, bench/cost.mjs): node:http on
 * Node, whose fetch() loads undici (several MiB more RSS, more CPU per check while cold), and
 * fetch() on Bun and Deno (the single binary too), where it is native and their node:http is a
 * layer over it. Both open a fresh connection per check as curl does, or release it at once, so
 * no idle socket stays open between checks.
 */
import { createRequire } from 'node:module';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { after } from '../timers/timers.js';

export interface HttpCheckResult {
  passed: boolean;
  detail?: string;
}

const nativeFetch = 'Bun' in globalThis || 'Deno' in globalThis;

export function httpCheck(url: string, timeoutMs: number): Promise<HttpCheckResult> {
  return nativeFetch ? httpCheckFetch(url, timeoutMs) : httpCheckNode(url, timeoutMs);
}

/** node:http(s) only where this client is used: on Bun they are a layer that fetch() does not need. */
const nodeRequest = (module: 'node:http' | 'node:https'): typeof import('node:http').request =>
  (createRequire(import.meta.url)(module) as typeof import('node:http')).request;

const verdict = (status: number): HttpCheckResult => (status > 0 && status < 400 ? { passed: true } : { passed: false, detail: `HTTP ${status}` });

/** fetch(): native on Bun and Deno. */
export async function httpCheckFetch(url: string, timeoutMs: number): Promise<HttpCheckResult> {
  // Not AbortSignal.timeout(): it fires at once for a timeout of 2^31 ms or more.
  const abort = new AbortController();
  const timer = after(timeoutMs, () => abort.abort(new DOMException('The operation timed out.', 'TimeoutError')));
  try {
    const res = await fetch(url, { signal: abort.signal, redirect: 'manual' });
    // Drain so the connection is released; a slow body is bounded by the same signal.
    await res.body?.cancel().catch(() => undefined);
    return verdict(res.status);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string }; code?: string };
    const why = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.code ?? e.cause?.message ?? e.message);
    return { passed: false, detail: `GET ${url}: ${why}` };
  } finally {
    timer.clear();
  }
}

/** node:http / node:https on a fresh connection, closed as soon as the status is known. */
export function httpCheckNode(url: string, timeoutMs: number): Promise<HttpCheckResult> {
  return new Promise((resolve) => {
    let req: ClientRequest | undefined;
    let settled = false;
    const done = (r: HttpCheckResult): void => {
      if (settled) return;
      settled = true;
      timer.clear();
      // Closes the connection at once: the check never waits for (or keeps) a body.
      req?.destroy();
      resolve(r);
    };
    const timer = after(timeoutMs, () => done({ passed: false, detail: `GET ${url}: timed out` }));
    try {
      const target = new URL(url);
      const send = nodeRequest(target.protocol === 'https:' ? 'node:https' : 'node:http');
      req = send(target, { method: 'GET', agent: false, headers: { connection: 'close' } }, (res: IncomingMessage) => {
        res.resume();
        done(verdict(res.statusCode ?? 0));
      });
      req.on('error', (err: NodeJS.ErrnoException) => done({ passed: false, detail: `GET ${url}: ${err.code ?? err.message}` }));
      req.end();
    } catch (err) {
      done({ passed: false, detail: `GET ${url}: ${(err as Error).message}` });
    }
  });
}
