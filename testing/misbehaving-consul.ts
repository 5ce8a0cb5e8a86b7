/**
 * Test support: a small real HTTP server on loopback that answers Consul's read endpoints
 * wrongly in one of the ways a broken agent, proxy or load balancer does (X-Consul-Index 0, an
 * index going backwards, 500s, HTML error pages, JSON of the wrong shape), and counts the
 * requests, so watches and the renderer can be tested against it without a client mock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour =
  | 'index-zero' // 200, valid entries, X-Consul-Index: 0 on every answer
  | 'index-backwards' // 200, valid entries, an index lower than the one asked with
  | 'status-500' // 500 text/plain, as Consul itself answers an internal error
  | 'html-502' // 502 text/html, a proxy's error page
  | 'html-200' // 200 text/html, a captive portal or a web server in Consul's place
  | 'json-wrong-shape' // 200 application/json, an object where a list belongs
  | 'json-invalid'; // 200 application/json whose body is HTML

export const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

/** One passing instance of `service`, shaped as /v1/health/service answers. */
function healthEntries(service: string): unknown[] {
  return [{ Node: { Node: 'n1', Address: '10.0.9.1' }, Service: { ID: `${service}-1`, Service: service, Address: '10.0.9.1', Port: 80, Tags: [] }, Checks: [] }];
}

function kvEntries(key: string): unknown[] {
  return [{ Key: key, Value: Buffer.from('v').toString('base64'), CreateIndex: 1, ModifyIndex: 1, LockIndex: 0, Flags: 0 }];
}

export class MisbehavingConsul {
  readonly requests: { at: number; url: string }[] = [];
  private readonly server: Server;
  private ready: Promise<void>;

  constructor(private mode: Misbehaviour) {
    this.server = createServer((req, res) => this.answer(req, res));
    this.ready = new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** `127.0.0.1:<port>` once listening. */
  async address(): Promise<string> {
    await this.ready;
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** When the first request arrived (ms epoch): a window measured from it leaves out start-up. */
  async firstRequest(timeoutMs = 20_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (this.requests.length === 0) {
      if (Date.now() > end) throw new Error(`no request within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.requests[0]!.at;
  }

  /** Requests that arrived at or after `since` (ms epoch). */
  countSince(since: number): number {
    return this.requests.filter((r) => r.at >= since).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ at: Date.now(), url: url.pathname + url.search });
    const asked = BigInt(url.searchParams.get('index') ?? '0');
    const data = url.pathname.startsWith('/v1/kv/') ? kvEntries(url.pathname.slice('/v1/kv/'.length)) : healthEntries(url.pathname.split('/').pop() ?? '');
    const json = (status: number, body: unknown, index?: bigint) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (index !== undefined) headers['x-consul-index'] = index.toString();
      res.writeHead(status, headers).end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    switch (this.mode) {
      case 'index-zero':
        return json(200, data, 0n);
      case 'index-backwards':
        // The first answer starts high; every later one is lower than the index asked with.
        return json(200, data, asked === 0n ? 1000n : asked - 1n);
      case 'status-500':
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('rpc error making call: No cluster leader');
        return;
      case 'html-502':
        res.writeHead(502, { 'content-type': 'text/html' }).end(HTML_PAGE);
        return;
      case 'html-200':
        res.writeHead(200, { 'content-type': 'text/html' }).end(HTML_PAGE);
        return;
      case 'json-wrong-shape':
        return json(200, { error: 'not a list' }, 7n);
      case 'json-invalid':
        return json(200, HTML_PAGE, 7n);
    }
  }
}
