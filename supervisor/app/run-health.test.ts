/**
 * The in-process health checks through the CLI: `http` and `tcp` against real loopback servers,
 * feeding `when: { source: job, once: "healthy" }`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { test } from 'node:test';
import { cliPath, repoRoot } from '../../testing/paths.js';
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

test('http and tcp checks fork nothing and need no PATH (an exec check, the control, is seen forking)', async (t) => {
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
  t.after(() => {
    http.closeAllConnections();
    http.close();
    tcp.close();
    dir.dispose();
  });
  // Every child_process call of the supervisor is recorded by the preload.
  const spy = (name: string, health: string, env: Record<string, string> = {}) => {
    const config = dir.file(`${name}.json5`, `{ logging: { level: "DEBUG" }, control: { socket: "${dir.path}/${name}.sock" }, jobs: [
      { name: "${name}", health: ${health} },
    ] }`);
    const argv = [process.execPath, '--import', pathToFileURL(join(repoRoot, 'dist', 'testing', 'spawn-spy.js')).href, cliPath];
    return new Supervisor(['run', '--config', config], { argv, env: { CONTAINERPILOT: undefined, SPAWN_SPY_LOG: `${dir.path}/${name}.spawns`, ...env } });
  };

  const control = spy('control', '{ exec: "true", interval: 1, ttl: 5 }');
  t.after(() => control.dispose());
  await control.waitFor(/event: \{StatusHealthy control\}/);
  control.signal('SIGTERM');
  assert.equal((await control.waitExit()).code, 0, control.output);
  assert.match(dir.read('control.spawns'), /^spawn true$/m, 'the spy sees an exec check fork');

  // No exec anywhere, and a PATH where no command can be found.
  const web = spy('web', `{ http: "http://127.0.0.1:${httpPort}/", interval: 1, ttl: 5 }`, { PATH: `${dir.path}/empty` });
  const db = spy('db', `{ tcp: "127.0.0.1:${tcpPort}", interval: 1, ttl: 5 }`, { PATH: `${dir.path}/empty` });
  t.after(() => Promise.all([web.dispose(), db.dispose()]));
  await web.until(() => httpHits >= 3, 'three http checks', 20_000);
  await db.until(() => tcpHits >= 3, 'three tcp checks', 20_000);
  assert.match(web.output, /event: \{StatusHealthy web\}/);
  assert.match(db.output, /event: \{StatusHealthy db\}/);
  for (const cp of [web, db]) {
    cp.signal('SIGTERM');
    assert.equal((await cp.waitExit()).code, 0, cp.output);
  }
  assert.equal(dir.read('web.spawns') + dir.read('db.spawns'), '', 'http and tcp checks started a process');
});
