// How watch mode paces renders: a change after a quiet period renders once, a burst of changes
// gives fewer renders than changes with all of them in the final file, with and without
// `-wait`; `-wait` mistakes are user errors.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { cliPath } from '../../testing/paths.js';
import { registerInstance, runRender, waitFor } from '../../testing/render-support.js';

let agent: ConsulAgent;
let dir: string;
const children = new Set<ChildProcess>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'render-pace-'));
  agent = await startConsulAgent();
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `autopilot render` (watch mode) of `{{ range service "<svc>" }}{{ .Port }} {{ end }}.` with a counting command. */
function watch(svc: string, extra: string[] = []) {
  const sub = mkdtempSync(join(dir, `${svc}-`));
  const tpl = join(sub, 'in.ctmpl');
  writeFileSync(tpl, `{{ range service "${svc}" }}{{ .Port }} {{ end }}.\n`);
  const out = join(sub, 'out.txt');
  const count = join(sub, 'count');
  const counter = join(sub, 'count.mjs');
  writeFileSync(counter, "import { appendFileSync } from 'node:fs'; appendFileSync(process.argv[2], 'ran\\n');\n");
  const child = spawn(process.execPath, [cliPath, 'render', '-consul', agent.address, ...extra, '-template', `${tpl}:${out}:${process.execPath} ${counter} ${count}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.add(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    out,
    ran: () => read(count).split('\n').filter(Boolean).length,
    renders: () => output.split('\n').filter((l) => l.startsWith(`rendered ${out} `)).length,
    output: () => output,
    async stop(): Promise<number | null> {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        children.delete(child);
      }
    },
  };
}

/** Registers instances `${svc}-1..n` (ports 5001..) all at once. */
async function burst(svc: string, n: number): Promise<string> {
  const ports = Array.from({ length: n }, (_, i) => 5001 + i);
  await Promise.all(ports.map((port) => registerInstance(agent, { node: 'node-p', id: `${svc}-${port}`, service: svc, port })));
  return ports.map((p) => `${p} `).join('');
}

test('one change after a quiet period: exactly one render, the command runs once', async () => {
  const w = watch('single');
  try {
    await waitFor('the first render', () => read(w.out) === '.\n' && w.ran() === 1);
    await registerInstance(agent, { node: 'node-p', id: 'single-1', service: 'single', port: 5001 });
    await waitFor('the change', () => read(w.out) === '5001 .\n' && w.ran() === 2);
    await sleep(1000); // anything more would come within this
    assert.equal(w.ran(), 2);
    assert.equal(w.renders(), 2, w.output());
    assert.equal(await w.stop(), 0);
  } finally {
    await w.stop();
  }
});

for (const [name, extra] of [['default pacing', []], ['-wait 200ms:1s', ['-wait', '200ms:1s']], ['-wait=100ms', ['-wait=100ms']]] as const) {
  test(`a burst of 10 registrations (${name}): all 10 in the final file, fewer than 10 renders`, async () => {
    const svc = `burst${name.replace(/\W/g, '')}`;
    const w = watch(svc, [...extra]);
    try {
      await waitFor('the first render', () => read(w.out) === '.\n' && w.ran() === 1);
      const want = await burst(svc, 10);
      await waitFor('every instance', () => read(w.out) === `${want}.\n`);
      await sleep(1500); // let a trailing render, if any, finish
      assert.equal(read(w.out), `${want}.\n`);
      const renders = w.renders() - 1;
      assert.ok(renders >= 1 && renders < 10, `${renders} renders for 10 registrations:\n${w.output()}`);
      assert.equal(w.ran(), renders + 1);
      assert.equal(await w.stop(), 0);
    } finally {
      await w.stop();
    }
  });
}

test('-wait mistakes: one line naming the flag, exit 2', async () => {
  const tpl = join(dir, 'w.ctmpl');
  writeFileSync(tpl, '.\n');
  for (const [args, want] of [
    [['-wait=5x'], /^error: -wait "5x": expected min\[:max\] as Go durations, e\.g\. 5s or 500ms:2s\n$/],
    [['-wait', '2s:1s'], /^error: -wait "2s:1s": max must not be less than min\n$/],
    [['--wait', '1s:2s:3s'], /^error: -wait "1s:2s:3s": expected min\[:max\]/],
  ] as const) {
    const r = await runRender(['-consul', agent.address, ...args, '-template', `${tpl}:${join(dir, 'w.out')}`], { timeoutMs: 15_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, want);
    assert.equal(existsSync(join(dir, 'w.out')), false);
  }
});
