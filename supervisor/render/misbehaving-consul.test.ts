// `autopilot render` in watch mode against small real HTTP servers on loopback that answer as a
// broken Consul (or a proxy in its place) does: bounded queries over a window, one log line
// naming the fault, and nothing rendered from an answer that is not Consul's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../../testing/paths.js';
import { MisbehavingConsul, type Misbehaviour } from '../../testing/misbehaving-consul.js';

const WINDOW_MS = 3_000;

async function renderAgainst(mode: Misbehaviour): Promise<{ requests: number; stderr: string; out: string | undefined }> {
  const server = new MisbehavingConsul(mode);
  const dir = mkdtempSync(join(tmpdir(), 'render-misbehaving-'));
  const tpl = join(dir, 'in.ctmpl');
  const out = join(dir, 'out.txt');
  writeFileSync(tpl, '{{ range service "web" }}{{ .Port }} {{ end }}.\n');
  const child = spawn(process.execPath, [cliPath, 'render', '-consul', await server.address(), '-template', `${tpl}:${out}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  // The renderer's log lines (stdout or stderr, as the runtime's logger writes them).
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
  // The window starts at the first query, so a slow start (busy CI) does not shorten it.
  const start = await server.firstRequest();
  await new Promise((r) => setTimeout(r, start + WINDOW_MS - Date.now()));
  const requests = server.countSince(start);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  await server.close();
  const text = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  rmSync(dir, { recursive: true, force: true });
  return { requests, stderr, out: text };
}

const cases: { mode: Misbehaviour; line: RegExp; rendered: boolean }[] = [
  { mode: 'index-zero', line: /^health\.service\(web\|passing\): Consul answered X-Consul-Index 0 \(a Consul bug/, rendered: true },
  { mode: 'index-backwards', line: /^health\.service\(web\|passing\): Consul's index went backwards .*asked with 1000, answered 999/, rendered: true },
  { mode: 'status-500', line: /^health\.service\(web\|passing\): consul health\.service\(web\): Consul answered 500: rpc error making call: No cluster leader$/, rendered: false },
  { mode: 'html-502', line: /: Consul answered 502: 502 Bad Gateway \(an HTML page\)$/, rendered: false },
  { mode: 'html-200', line: /: Consul answered 200 with text\/html, not JSON: 502 Bad Gateway \(an HTML page\)$/, rendered: false },
  { mode: 'json-wrong-shape', line: /: Consul answered 200 with JSON of the wrong shape: expected a list of objects, got an object$/, rendered: false },
  { mode: 'json-invalid', line: /: Consul answered 200 with a body that is not JSON \(application\/json\): 502 Bad Gateway \(an HTML page\)$/, rendered: false },
];

test('render watch mode and a misbehaving Consul: at most one query a second (3 s window), one line naming the fault', { timeout: 30_000 }, async () => {
  const results = await Promise.all(cases.map((c) => renderAgainst(c.mode)));
  for (const [i, r] of results.entries()) {
    const c = cases[i]!;
    const report = `${c.mode}: ${r.requests} requests\n${r.stderr}`;
    const faults = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('rendered '));
    assert.equal(faults.length, 1, report);
    assert.match(faults[0]!, c.line, report);
    assert.ok(r.requests >= 2 && r.requests <= 5, report);
    assert.equal(r.out, c.rendered ? '80 .\n' : undefined, report);
  }
});
