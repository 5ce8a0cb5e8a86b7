/**
 * A client for the control socket (node:http over `socketPath`), used by `autopilot ctl` and
 * `autopilot status`, and usable from jobs written in JavaScript.
 */
import { request } from 'node:http';
import { ControlRequestError, ControlUnreachableError } from './errors.js';
import type { StatusSnapshot } from '../status/types.js';

export interface ControlResponse {
  status: number;
  body: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such socket (is the supervisor running?)',
  ECONNREFUSED: 'connection refused (no supervisor is listening)',
  EACCES: 'permission denied',
  ENOTSOCK: 'not a socket',
  ECONNRESET: 'connection closed before an answer',
};

export class ControlClient {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Sends one request; rejects with ControlUnreachableError when the socket cannot be used. */
  request(method: string, path: string, body?: string): Promise<ControlResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = request({ socketPath: this.socketPath, method, path, headers, agent: false, host: 'control' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.once('error', (err) => reject(new ControlUnreachableError(this.socketPath, err.message)));
      });
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      req.once('error', (err: NodeJS.ErrnoException) => {
        const reason = err.code === 'ETIMEDOUT' ? `no answer within ${this.timeoutMs / 1000} s` : (REASONS[err.code ?? ''] ?? err.message);
        reject(new ControlUnreachableError(this.socketPath, reason));
      });
      req.end(body);
    });
  }

  private async expectOk(method: string, path: string, body?: string): Promise<ControlResponse> {
    const res = await this.request(method, path, body);
    if (res.status < 200 || res.status > 299) throw new ControlRequestError(path, res.status, res.body);
    return res;
  }

  async ping(): Promise<void> {
    await this.expectOk('GET', '/v3/ping');
  }

  async reload(): Promise<void> {
    await this.expectOk('POST', '/v3/reload');
  }

  async putEnv(vars: Record<string, string>): Promise<void> {
    await this.expectOk('POST', '/v3/environ', JSON.stringify(vars));
  }

  async putMetric(values: Record<string, number>): Promise<void> {
    await this.expectOk('POST', '/v3/metric', JSON.stringify(values));
  }

  async setMaintenance(on: boolean): Promise<void> {
    await this.expectOk('POST', `/v3/maintenance/${on ? 'enable' : 'disable'}`);
  }

  async status(): Promise<StatusSnapshot> {
    const res = await this.expectOk('GET', '/v3/status');
    try {
      return JSON.parse(res.body) as StatusSnapshot;
    } catch {
      throw new ControlRequestError('/v3/status', res.status, `answer is not JSON: ${res.body.slice(0, 80)}`);
    }
  }
}
