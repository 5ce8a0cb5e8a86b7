import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { consulPut, startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { cliPath } from '../../testing/paths.js';
import { seedCatalog } from '../../testing/render-catalog.js';
import { deregisterInstance, registerInstance, waitFor } from '../../testing/render-support.js';

let agent: ConsulAgent;
let dir: string;
const children = new Set<ChildProcess>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'render-watch-'));
  agent = await startConsulAgent();
  await seedCatalog(agent);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWatch(args: string[]): Running {
  const child = spawn(process.execPath, [cliPath, 'render', '-consul', agent.address, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return { child, output: () => out, exited };
}

async function stopWatch(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  const timeout = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
  try {
    return await r.exited;
  } finally {
    clearTimeout(timeout);
  }
}

const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');

test('watch mode re-renders on registration changes and runs the command once per change; SIGTERM exits 0', async () => {
  const sub = mkdtempSync(join(dir, 'w-'));
  const counter = join(dir, 'count.mjs');
  writeFileSync(counter, "import { appendFileSync } from 'node:fs'; appendFileSync(process.argv[2], 'ran\\n');\n");
  const count = join(sub, 'count');
  const tpl = join(dir, 'ports.ctmpl');
  writeFileSync(tpl, '{{ range service "hello" }}{{ .Port }} {{ end }}{{ keyOrDefault "app/suffix" "." }}\n');
  const out = join(sub, 'ports.txt');
  const cmd = `${process.execPath} ${counter} ${count}`;
  const ran = () => read(count).split('\n').filter(Boolean).length;
  const r = startWatch(['-template', `${tpl}:${out}:${cmd}`]);
  try {
    await waitFor('the first render', () => read(out) === '3002 3001 .\n' && ran() === 1);
    await registerInstance(agent, { node: 'node-c', id: 'hello-9', service: 'hello', port: 3009 });
    await waitFor('the new instance', () => read(out) === '3002 3001 3009 .\n' && ran() === 2);
    await consulPut(agent, '/v1/kv/app/suffix', '!');
    await waitFor('the KV change', () => read(out) === '3002 3001 3009 !\n' && ran() === 3);
    await deregisterInstance(agent, 'node-c', 'hello-9');
    await waitFor('the removed instance', () => read(out) === '3002 3001 !\n' && ran() === 4);
    // A change that does not alter the output: nothing is written, nothing runs.
    await registerInstance(agent, { node: 'node-x', id: 'other-1', service: 'other', port: 1 });
    await consulPut(agent, '/v1/kv/app/unrelated', 'x');
    await registerInstance(agent, { node: 'node-b', nodeAddress: '127.0.0.12', id: 'hello-1', service: 'hello', port: 3001, tags: ['v1', 'primary'], meta: { version: '1.1' } });
    await waitFor('the unchanged render', () => r.output().includes(`unchanged ${out}`));
    assert.equal(ran(), 4);
    assert.equal(await stopWatch(r), 0);
    assert.match(r.output(), new RegExp(`rendered ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(12 bytes\\); ran ".*": exit 0`));
    assert.deepEqual(readdirSync(sub).sort(), ['count', 'ports.txt']);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('dependencies follow the data: a key naming the service switches the watched service', async () => {
  const tpl = join(dir, 'target.ctmpl');
  writeFileSync(tpl, '{{ range service (keyOrDefault "app/target" "hello") }}{{ .ID }} {{ end }}\n');
  const out = join(dir, 'target.txt');
  const r = startWatch(['-template', `${tpl}:${out}`]);
  try {
    await waitFor('hello instances', () => read(out) === 'hello-2 hello-1 \n');
    await consulPut(agent, '/v1/kv/app/target', 'world');
    await waitFor('world instances', () => read(out) === 'world-1 \n');
    await registerInstance(agent, { node: 'node-c', id: 'world-2', service: 'world', port: 4002 });
    await waitFor('the new world instance', () => read(out) === 'world-1 world-2 \n');
    assert.equal(await stopWatch(r), 0);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('watch mode survives a Consul restart and renders the changes made after it', async () => {
  const tpl = join(dir, 'restart.ctmpl');
  writeFileSync(tpl, '{{ range service "world" }}{{ .ID }} {{ end }}\n');
  const out = join(dir, 'restart.txt');
  const r = startWatch(['-template', `${tpl}:${out}`]);
  try {
    await waitFor('world instances', () => read(out).startsWith('world-1 '));
    await agent.restart();
    await registerInstance(agent, { node: 'node-d', id: 'world-3', service: 'world', port: 4003 });
    await waitFor('the instance registered after the restart', () => read(out).includes('world-3'), 30_000);
    assert.equal(await stopWatch(r), 0);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('a key that does not exist yet holds the render until it is created', async () => {
  const tpl = join(dir, 'later.ctmpl');
  writeFileSync(tpl, 'v={{ key "app/later" }}\n');
  const out = join(dir, 'later.txt');
  const r = startWatch(['-template', `${tpl}:${out}`]);
  try {
    await waitFor('the waiting message', () => r.output().includes(`${tpl}: waiting for key "app/later" to exist in Consul`));
    assert.equal(existsSync(out), false);
    await consulPut(agent, '/v1/kv/app/later', 'now');
    await waitFor('the render', () => read(out) === 'v=now\n');
    assert.equal(await stopWatch(r), 0);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('a broken template ends watch mode at once with exit 2', async () => {
  const tpl = join(dir, 'broken.ctmpl');
  writeFileSync(tpl, '{{ range service "hello" }}{{ .Nope }}{{ end }}');
  const r = startWatch(['-template', `${tpl}:${join(dir, 'broken.out')}`]);
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
  try {
    assert.equal(await r.exited, 2);
    assert.match(r.output(), /^error: .*broken\.ctmpl:1:\d+: .*can't evaluate field Nope.*\n$/);
  } finally {
    clearTimeout(timer);
  }
});
