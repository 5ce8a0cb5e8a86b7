/**
 * A `blocking: false` watch under a real `autopilot run`, against a real Consul agent reached
 * through a loopback proxy that journals the watch's queries: every query is a plain read (no
 * `index`), and a registration reaches the `changed` hook only through the first poll started
 * after it: the hook had not run when that poll began, and runs after it. No timing is asserted.
 */
import assert from 'node:assert/strict';
import { request, createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { consulPut, startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { eventually, runWithConfig, statusJson, type RunningSupervisor } from '../../testing/consul-run.js';
import { TempDir } from '../../testing/supervisor.js';

interface Query {
  /** The `index` query parameter ('' when absent). */
  index: string;
  /** Hook runs already recorded when the query started. */
  hookRunsBefore: number;
  answered: boolean;
  /** Registrations done before the query started. */
  afterRegistration: boolean;
}

let agent: ConsulAgent;
let dir: TempDir;
let run: RunningSupervisor;
let proxy: Server;
const queries: Query[] = [];
let registered = false;
let onAnswer: (() => void) | null = null;
const events = () => dir.lines('events');

before(async () => {
  agent = await startConsulAgent();
  dir = new TempDir();
  const upstream = new URL(agent.httpUrl);
  // Forwards everything to the agent; journals the watch's health queries.
  proxy = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const q: Query | undefined = url.pathname === '/v1/health/service/svc' ? { index: url.searchParams.get('index') ?? '', hookRunsBefore: events().length, answered: false, afterRegistration: registered } : undefined;
    if (q) queries.push(q);
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.once('end', () => {
        if (!q) return;
        q.answered = true;
        onAnswer?.();
      });
    });
    out.once('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  run = runWithConfig(dir, (socket) => `{
  consul: "127.0.0.1:${port}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "app", exec: ["sleep", "600"] },
    { name: "svc-changed", exec: ["sh", "-c", "echo changed >> ${dir.path}/events"], when: { source: "watch.svc", each: "changed" } },
  ],
  watches: [ { name: "svc", interval: 2, blocking: false } ],
}
`);
  await eventually('the watch listed', async () => (await statusJson(run.socket)).watches.length === 1, () => run.cp.output);
});

after(async () => {
  await run?.cp.dispose();
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await agent?.stop();
  dir?.dispose();
});

test('a polling watch under autopilot run: plain reads, and the hook runs only after the next poll', { timeout: 50_000 }, async () => {
  // Right after a poll's answer the next poll is an interval away: register then.
  await eventually('a first poll answered', () => queries.some((q) => q.answered), () => run.cp.output);
  await new Promise<void>((resolve) => (onAnswer = resolve));
  onAnswer = null;
  await consulPut(agent, '/v1/agent/service/register', { ID: 'svc-1', Name: 'svc', Address: '127.0.0.1', Port: 9001 });
  registered = true;
  await eventually('the hook ran', () => events().length >= 1, () => run.cp.output);
  const after = queries.filter((q) => q.afterRegistration);
  assert.ok(after.length >= 1, 'a poll started after the registration');
  assert.equal(after[0]!.hookRunsBefore, 0, 'the hook had not run when the first poll after the registration started');
  assert.ok(queries.filter((q) => !q.afterRegistration).every((q) => q.hookRunsBefore === 0), 'no hook run before the registration');
  assert.deepEqual(
    queries.map((q) => q.index),
    queries.map(() => ''),
    'every watch query is a plain read, without a blocking index',
  );
  assert.deepEqual(events(), ['changed']);
});
