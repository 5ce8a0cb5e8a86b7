/**
 * The in-process health checks through the CLI: `http` and `tcp` against real loopback servers,
 * feeding `when: { source: job, once: "healthy" }`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { test } from 'node:test';
import { Supervisor, TempDir } from '../../testing/supervisor.js';

function listen(server: Server | ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

test('http and tcp health checks make their jobs healthy, which starts the jobs waiting on them', async (t) => {
  let ready = false;
  const http = createServer((_req, res) => res.writeHead(ready ? 200 : 503).end());
  const tcp = createTcpServer((s) => s.end());
  const [httpPort, tcpPort] = [await listen(http), await listen(tcp)];
  const dir = new TempDir();
  const config = dir.file('cp.json5', `{ logging: { level: "DEBUG", format: "text" }, control: { socket: "${dir.path}/cp.sock" }, jobs: [
    { name: "web", exec: ["sleep", "30"], health: { http: "http://127.0.0.1:${httpPort}/health", interval: 1, ttl: 5, timeout: "500ms" } },
    { name: "db", exec: ["sleep", "30"], health: { tcp: "127.0.0.1:${tcpPort}", interval: 1, ttl: 5 } },
    { name: "after-web", exec: ["echo", "web-is-healthy"], when: { source: "web", once: "healthy" } },
    { name: "after-db", exec: ["echo", "db-is-healthy"], when: { source: "db", once: "healthy" } },
  ] }`);
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    http.closeAllConnections();
    http.close();
    tcp.close();
    dir.dispose();
  });
  await cp.waitFor(/msg=db-is-healthy job=after-db/);
  await cp.waitFor(/event: \{StatusUnhealthy web\}/);
  assert.doesNotMatch(cp.output, /msg=web-is-healthy job=/);
  assert.match(cp.output, /check.web exited with error: HTTP 503/);
  ready = true;
  await cp.waitFor(/msg=web-is-healthy job=after-web/);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
});

test('http and tcp checks fork nothing: no child appears while they run, and no PATH is needed', async (t) => {
  let httpHits = 0;
  let tcpHits = 0;
  const http = createServer((_req, res) => {
    httpHits++;
    res.writeHead(204).end();
  });
  const tcp = createTcpServer((s) => {
    tcpHits++;
    s.end();
  });
  const [httpPort, tcpPort] = [await listen(http), await listen(tcp)];
  const dir = new TempDir();
  // Jobs with no exec: the supervisor itself has no reason to have any child.
  const config = dir.file('cp.json5', `{ logging: { level: "DEBUG" }, control: { socket: "${dir.path}/cp.sock" }, jobs: [
    { name: "web", health: { http: "http://127.0.0.1:${httpPort}/", interval: 1, ttl: 5 } },
    { name: "db", health: { tcp: "127.0.0.1:${tcpPort}", interval: 1, ttl: 5 } },
  ] }`);
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined, PATH: `${dir.path}/empty` } });
  t.after(async () => {
    await cp.dispose();
    http.closeAllConnections();
    http.close();
    tcp.close();
    dir.dispose();
  });
  const children = (): string[] =>
    readdirSync(`/proc/${cp.pid}/task`).flatMap((tid) => readFileSync(`/proc/${cp.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean));
  const seen = new Set<string>();
  await cp.until(() => {
    for (const c of children()) seen.add(c);
    return httpHits >= 3 && tcpHits >= 3;
  }, 'three checks of each kind', 20_000);
  assert.match(cp.output, /event: \{StatusHealthy web\}/);
  assert.match(cp.output, /event: \{StatusHealthy db\}/);
  assert.deepEqual([...seen], [], 'the supervisor forked while checking');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
});
