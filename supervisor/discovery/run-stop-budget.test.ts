/**
 * The stop fits well within Docker's 10 s grace period whatever the Consul agent does: real
 * misbehaving servers on loopback (no client mocks) stand in for the agent. One accepts
 * connections and never answers, one resets every connection, one answers every request after
 * 2 s. The supervisor registers a service (heartbeats), watches another and is then stopped with
 * SIGTERM; it must exit in well under 10 s (asserted: < 4 s, with the time printed), on every
 * runtime and the single-file binary.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { cliRuntime, RUNTIME_NAMES } from '../../testing/runtimes.js';
import { Supervisor, TempDir, sleep } from '../../testing/supervisor.js';

interface Misbehaving {
  port: number;
  /** Requests (or connections) it saw. */
  seen(): number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** A TCP server that does `behave` with each connection and answers nothing itself. */
async function tcpAgent(behave: (s: Socket) => void): Promise<Misbehaving> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const server = createServer((s) => {
    seen++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    behave(s);
  });
  const port = await listen(server);
  return { port, seen: () => seen, close: () => closeAll(server, sockets) };
}

/** Accepts every connection, reads what comes, answers nothing. */
const hangingAgent = () => tcpAgent((s) => s.on('data', () => undefined));

/** Resets (RST) every connection as soon as it has data. */
const resettingAgent = () => tcpAgent((s) => s.once('data', () => s.resetAndDestroy()));

/** Answers every request as Consul would, but 2 s late (a blocking query gets an index). */
async function slowAgent(): Promise<Misbehaving> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const server = createHttpServer((req, res) => {
    seen++;
    req.resume();
    setTimeout(() => {
      if (res.destroyed) return;
      const list = /\/v1\/(health|catalog)\//.test(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '7' });
      res.end(list ? '[]' : req.method === 'PUT' ? 'true' : '{}');
    }, 2_000);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server as unknown as Server);
  return { port, seen: () => seen, close: () => closeAll(server as unknown as Server, sockets) };
}

function closeAll(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((r) => server.close(() => r()));
}

const cases: Array<[string, () => Promise<Misbehaving>]> = [
  ['accepts and never answers', hangingAgent],
  ['resets every connection', resettingAgent],
  ['answers every request after 2 s', slowAgent],
];

for (const [what, make] of cases) for (const name of RUNTIME_NAMES) {
  test(`${name}: a Consul agent that ${what}: SIGTERM stops the supervisor in well under 10 s`, async (t) => {
    const agent = await make();
    const dir = new TempDir();
    const config = dir.config('cp.json5', `{
      consul: "127.0.0.1:${agent.port}",
      jobs: [
        { name: "app", port: 8080, exec: ["sh", "-c", "echo app-up; exec sleep 100"],
          health: { exec: "true", interval: 1, ttl: 5 } },
        { name: "on-change", exec: "true", when: { source: "watch.db", each: "changed" } },
      ],
      watches: [{ name: "db", interval: 5 }],
    }`);
    const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined, CONSUL_HTTP_ADDR: undefined }, argv: cliRuntime(name).argv });
    t.after(async () => {
      await cp.dispose();
      await agent.close();
      dir.dispose();
    });
    await cp.waitFor('app-up');
    // Let heartbeats, registration and the watch reach the agent and get stuck there.
    await cp.until(() => agent.seen() >= 2, 'requests to the agent');
    await sleep(1_500);
    const began = performance.now();
    cp.signal('SIGTERM');
    const exit = await cp.waitExit(20_000);
    const took = Math.round(performance.now() - began);
    console.log(`${name}: Consul agent that ${what}: stop took ${took} ms (exit ${exit.code})`);
    assert.equal(exit.code, 0, cp.output);
    assert.ok(took < 4_000, `the stop took ${took} ms\n${cp.output.slice(-3000)}`);
  });
}
