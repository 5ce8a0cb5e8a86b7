import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Logger } from '../log/logger.js';
import { runCheck } from './health.js';
import { httpCheckFetch, httpCheckNode } from './http-check.js';

type Check = Parameters<typeof runCheck>[0];
const viaNodeHttp = (c: Check, o: { timeoutMs: number }) => (c.kind === 'http' ? httpCheckNode(c.url, o.timeoutMs) : runCheck(c, opts()));
const viaFetch = (c: Check, o: { timeoutMs: number }) => (c.kind === 'http' ? httpCheckFetch(c.url, o.timeoutMs) : runCheck(c, opts()));

const lines: string[] = [];
const log = new Logger({ level: 'DEBUG', format: 'text', output: 'stdout' }, { sink: { write: (t) => lines.push(t), reopen() {}, close() {} } });
const opts = (timeoutMs = 1000) => ({ name: 'check.app', timeoutMs, log, raw: false });

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

for (const [client, check] of [['the runtime\'s choice', runCheck], ['node:http', viaNodeHttp], ['fetch', viaFetch]] as const) {
test(`http (${client}): passes below 400, fails at 400+, on refusal and on timeout`, async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/ok') return res.end('fine');
    if (req.url === '/moved') return res.writeHead(302, { location: '/elsewhere' }).end();
    if (req.url === '/fail') return res.writeHead(503).end();
    // /slow never answers
  });
  const port = await listen(server);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = (p: string) => ({ kind: 'http' as const, url: `http://127.0.0.1:${port}${p}` });
  assert.deepEqual(await check(url('/ok'), opts()), { passed: true });
  assert.deepEqual(await check(url('/moved'), opts()), { passed: true });
  assert.deepEqual(await check(url('/fail'), opts()), { passed: false, detail: 'HTTP 503' });
  const slow = await check(url('/slow'), opts(200));
  assert.equal(slow.passed, false);
  assert.match(slow.detail ?? '', /timed out/);
  const gone = createServer();
  const gonePort = await listen(gone);
  await new Promise<void>((r) => gone.close(() => r()));
  const closed = await check({ kind: 'http', url: `http://127.0.0.1:${gonePort}/` }, opts());
  assert.equal(closed.passed, false);
  assert.match(closed.detail ?? '', /ECONNREFUSED/);
});
}

test('tcp: passes when a connection opens, fails when refused', async () => {
  const server = createTcpServer((s) => s.end());
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
  assert.deepEqual(await runCheck({ kind: 'tcp', host: '127.0.0.1', port }, opts()), { passed: true });
  await new Promise<void>((r) => server.close(() => r()));
  const refused = await runCheck({ kind: 'tcp', host: '127.0.0.1', port }, opts());
  assert.equal(refused.passed, false);
  assert.match(refused.detail ?? '', /ECONNREFUSED/);
});

test('exec: exit 0 passes, non-zero fails, a hung check is killed at its timeout; output is logged with the check name', async () => {
  assert.equal((await runCheck({ kind: 'exec', exec: ['sh', '-c', 'echo job4 health'] }, opts())).passed, true);
  assert.ok(lines.some((l) => /msg="job4 health" check=check.app pid=\d+/.test(l)), lines.join(''));
  assert.deepEqual(await runCheck({ kind: 'exec', exec: ['false'] }, opts()), { passed: false, detail: 'exit status 1' });
  const started = Date.now();
  const hung = await runCheck({ kind: 'exec', exec: ['sleep', '10'] }, opts(150));
  assert.deepEqual(hung, { passed: false, detail: 'timed out' });
  assert.ok(Date.now() - started < 9000, 'did not wait for the sleep');
});
