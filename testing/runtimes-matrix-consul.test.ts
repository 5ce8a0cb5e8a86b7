/**
 * Registration in a real Consul agent by `autopilot run` on Node, Bun, Deno and the single-file
 * binary: the service appears as `<name>-<hostname>` with its address, port and tags, its TTL
 * check turns passing from the job's health checks, a watch on it fires its `changed` job, and
 * the SIGTERM stop deregisters it.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { consulGet, startConsulAgent, type ConsulAgent, type HealthServiceEntry } from './consul-agent.js';
import { runCli, supervise } from './runtimes-process.js';
import { cliRuntime, RUNTIME_NAMES } from './runtimes.js';
import { TempDir } from './supervisor.js';

let agent: ConsulAgent;
before(async () => {
  agent = await startConsulAgent();
});
after(async () => {
  await agent?.stop();
});

/** Polls Consul until `check` returns a value (bounded: the agent syncs asynchronously). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, output: () => string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
}

for (const name of RUNTIME_NAMES) {
  describe(name, () => {
    it('registers the job with its TTL check, heartbeats it to passing, watches it, deregisters on SIGTERM', async (t) => {
      const service = `matrix-${name}`;
      const dir = new TempDir();
      const socket = dir.file('cp.sock.placeholder', '').replace(/\.placeholder$/, '');
      const config = dir.file('cp.json5', `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    {
      name: "${service}",
      exec: ["sh", "-c", "echo ip=$CONTAINERPILOT_${service.toUpperCase().replace(/-/g, '_')}_IP; exec sleep 60"],
      port: 8080,
      interfaces: ["static:127.0.0.1"],
      tags: ["runtime-${name}"],
      health: { exec: ["true"], interval: 1, ttl: 10 },
    },
    { name: "on-change", exec: ["echo", "watch saw ${service} change"], when: { source: "watch.${service}", each: "changed" } },
  ],
  watches: [ { name: "${service}", interval: 1 } ],
}
`);
      const cp = supervise(cliRuntime(name), ['run', '--config', config], { env: { CONTAINERPILOT: undefined } });
      t.after(async () => {
        await cp.dispose();
        dir.dispose();
      });
      await cp.waitFor('ip=127.0.0.1');

      const path = `/v1/health/service/${service}?passing=true`;
      const entries = await eventually('the service passing in Consul', async () => {
        const found = await consulGet<HealthServiceEntry[]>(agent, path);
        return found.length === 1 ? found : undefined;
      }, () => cp.output);
      const entry = entries[0]!;
      assert.equal(entry.Service.ID, `${service}-${hostname()}`);
      assert.equal(entry.Service.Service, service);
      assert.equal(entry.Service.Address, '127.0.0.1');
      assert.equal(entry.Service.Port, 8080);
      assert.deepEqual(entry.Service.Tags, [`runtime-${name}`]);
      assert.ok(entry.Checks.some((c) => c.ServiceID === entry.Service.ID && c.Status === 'passing'), JSON.stringify(entry.Checks));
      // The watch on our own service sees it become healthy and fires the `changed` job.
      await cp.waitFor(`watch saw ${service} change`);
      // `autopilot status` shows the watch with the instance Consul reports.
      const status = await runCli(cliRuntime(name), ['status', '--json', '--config', config], { env: { CONTAINERPILOT: undefined } });
      assert.equal(status.code, 0, status.stderr);
      const watches = (JSON.parse(status.stdout) as { watches: Array<{ name: string; instances: Array<{ address: string; port: number }> }> }).watches;
      assert.deepEqual(watches.map((w) => [w.name, w.instances.map((i) => `${i.address}:${i.port}`)]), [[service, ['127.0.0.1:8080']]]);

      cp.signal('SIGTERM');
      assert.deepEqual(await cp.waitExit(30_000), { code: 0, signal: null }, cp.output);
      const services = await consulGet<Record<string, unknown>>(agent, '/v1/agent/services');
      assert.equal(Object.keys(services).includes(`${service}-${hostname()}`), false, 'deregistered by the stop');
    });
  });
}
