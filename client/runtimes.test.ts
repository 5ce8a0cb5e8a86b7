/**
 * The client on Node, Bun and Deno, as an app uses it: the shared client from the environment
 * (CONSUL_HTTP_ADDR), a read, a watch whose 'change' follows Consul, and a refresh on SIGHUP.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../generators/helpers.test.js';
import { consulAgentForFile } from '../testing/consul-agent-file.js';
import { consulPut } from '../testing/consul-agent.js';
import { repoRoot } from '../testing/paths.js';
import { devBin } from '../testing/runtimes.js';

const file = consulAgentForFile();

// Prints one JSON line per event: what it read, each change (watched 'db', SIGHUP-refreshed 'kv').
const APP = (client: string) => `import { client, services, watch } from ${JSON.stringify(client)};
const print = (o) => console.log(JSON.stringify(o));
client().on('change', (name, list) => print({ change: name, ids: list.map((i) => i.id) }));
print({ read: (await services('web')).map((i) => i.address + ':' + i.port) });
watch('db');
setInterval(() => {}, 60000);
print({ ready: true });
`;

const RUNTIMES: Record<string, (script: string) => string[]> = {
  node: (s) => [process.execPath, s],
  bun: (s) => [devBin('bun'), s],
  deno: (s) => [devBin('deno'), 'run', '--allow-net', '--allow-env', '--allow-read', s],
};

describe('client on each runtime', () => {
  for (const [runtime, argv] of Object.entries(RUNTIMES)) {
    it(`${runtime}: reads from CONSUL_HTTP_ADDR, follows a watched service, refreshes on SIGHUP`, async (t) => {
      const agent = file.current();
      await consulPut(agent, '/v1/agent/service/register', { ID: `web-${runtime}`, Name: 'web', Address: '10.0.0.7', Port: 8080, Check: { TTL: '60s', Status: 'passing' } });
      const dir = tempDir(t, 'autopilot-client-');
      const script = join(dir, 'app.mjs');
      writeFileSync(script, APP(pathToFileURL(join(repoRoot, 'dist', 'client', 'index.js')).href));
      const [cmd, ...args] = argv(script);
      const child = spawn(cmd!, args, { env: { ...process.env, CONSUL_HTTP_ADDR: agent.address, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      t.after(() => child.kill('SIGKILL'));
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async (): Promise<Record<string, unknown>> => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const { value, done } = await lines.next();
        clearTimeout(timer);
        assert.ok(!done, `${runtime} ended early: ${stderr}`);
        return JSON.parse(value as string) as Record<string, unknown>;
      };
      const seen: Record<string, unknown>[] = [];
      const until = async (ok: (o: Record<string, unknown>) => boolean) => {
        for (;;) {
          const o = await next();
          seen.push(o);
          if (ok(o)) return o;
        }
      };
      await until((o) => o['ready'] === true);
      assert.ok(seen.some((o) => JSON.stringify(o['read']) === JSON.stringify(['10.0.0.7:8080'])), JSON.stringify(seen));
      await until((o) => o['change'] === 'db');
      await consulPut(agent, '/v1/agent/service/register', { ID: `db-${runtime}`, Name: 'db', Address: '10.0.0.8', Port: 27017, Check: { TTL: '60s', Status: 'passing' } });
      await until((o) => o['change'] === 'db' && (o['ids'] as string[]).includes(`db-${runtime}`));
      // 'web' is not watched: only SIGHUP makes the app see its new instance.
      await consulPut(agent, '/v1/agent/service/register', { ID: `web2-${runtime}`, Name: 'web', Address: '10.0.0.9', Port: 8080, Check: { TTL: '60s', Status: 'passing' } });
      child.kill('SIGHUP');
      await until((o) => o['change'] === 'web' && (o['ids'] as string[]).includes(`web2-${runtime}`));
      await consulPut(agent, `/v1/agent/service/deregister/web-${runtime}`);
      await consulPut(agent, `/v1/agent/service/deregister/web2-${runtime}`);
      await consulPut(agent, `/v1/agent/service/deregister/db-${runtime}`);
    });
  }
});
