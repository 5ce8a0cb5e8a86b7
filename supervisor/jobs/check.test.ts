import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Logger } from '../log/logger.js';
import { runCheck } from './check.js';
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

/** Open file descriptors of this process (Linux). */
const openFds = () => readdirSync('/proc/self/fd').length;

/** Waits (bounded) until `read()` equals `want`; returns the last value read. */
async function settlesAt(read: () => number, want: number): Promise<number> {
  let now = read();
  for (let i = 0; i < 100 && now !== want; i++) {
    await new Promise((r) => setTimeout(r, 20));
    now = read();
  }
  return now;
}

// Timeouts only for node:http: Node's own fetch (undici, which the supervisor does not use on
// Node) can keep an aborted connection to this never-answering server open; Bun's and Deno's
// fetch, which the supervisor uses, close it.
for (const [client, check, timeouts] of [['node:http', httpCheckNode, true], ['fetch', httpCheckFetch, false]] as const) {
  test(`http (${client}): repeated checks, passing, failing${timeouts ? ' and timing out' : ''}, hold no more file descriptors`, async (t) => {
    const server = createServer((req, res) => {
      if (req.url === '/fail') return res.writeHead(503).end();
      if (req.url === '/slow') return; // never answers
      res.end();
    });
    const port = await listen(server);
    t.after(() => {
      server.closeAllConnections();
      server.close();
    });
    const round = async () => {
      for (let i = 0; i < 10; i++) {
        assert.equal((await check(`http://127.0.0.1:${port}/ok`, 1000)).passed, true);
        assert.equal((await check(`http://127.0.0.1:${port}/fail`, 1000)).passed, false);
      }
      if (timeouts) assert.match((await check(`http://127.0.0.1:${port}/slow`, 50)).detail ?? '', /timed out/);
    };
    // A client may keep a pooled connection: the first round sets the level, later rounds must not add to it.
    await round();
    const level = await settlesAt(openFds, openFds());
    for (let r = 0; r < 3; r++) await round();
    assert.equal(await settlesAt(openFds, level), level);
  });
}
