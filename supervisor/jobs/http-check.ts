/**
 * The built-in `http` health check: one GET on a fresh connection, passing below 400, redirects
 * not followed. node:http rather than fetch(): on Node, fetch's stream and abort machinery cost
 * several times more CPU per check, and a check runs every second per job for the supervisor's
 * whole life. A fresh connection per check (as curl makes) keeps no idle socket open between
 * checks and never trips over a keep-alive socket the application closed meanwhile.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpCheckResult {
  passed: boolean;
  detail?: string;
}

export function httpCheck(url: string, timeoutMs: number): Promise<HttpCheckResult> {
  return new Promise((resolve) => {
    let req: ClientRequest | undefined;
    let settled = false;
    const done = (r: HttpCheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Closes the connection at once: the check never waits for (or keeps) a body.
      req?.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ passed: false, detail: `GET ${url}: timed out` }), timeoutMs);
    try {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      req = send(target, { method: 'GET', agent: false, headers: { connection: 'close' } }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        res.resume();
        done(status > 0 && status < 400 ? { passed: true } : { passed: false, detail: `HTTP ${status}` });
      });
      req.on('error', (err: NodeJS.ErrnoException) => done({ passed: false, detail: `GET ${url}: ${err.code ?? err.message}` }));
      req.end();
    } catch (err) {
      done({ passed: false, detail: `GET ${url}: ${(err as Error).message}` });
    }
  });
}
