/**
 * `add` on a project written by hand: generators/testdata/handmade-hello (legacy compose format,
 * its own comments and layout, an nginx template with `{{ if service }}` blocks). `npm run compat
 * -- <dir>` does the same through the CLI on the hello-world project of a compatibility corpus.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import JSON5 from 'json5';
import { parse } from 'yaml';
import { loadConfigText } from '../supervisor/config/index.js';
import { renderTemplate } from '../supervisor/template/index.js';
import { repoRoot } from '../testing/paths.js';
import { memReader, opsToFiles, released, tempDir, writeOps } from './helpers.test.js';
import { planAddBackend, planAddService } from './plan-add.js';
import { expectLinesKept } from './testdata/patch-checks.js';

const FILES = ['docker-compose.yml', 'nginx/containerpilot.json5', 'nginx/nginx.conf.ctmpl', 'nginx/nginx.conf', 'greeter/containerpilot.json5', 'echo/containerpilot.json5'];
const original = (name: string) => readFileSync(join(repoRoot, 'generators', 'testdata', 'handmade-hello', name), 'utf8');

test('add service + add backend on a hand-written project keep its text and stay valid', (t) => {
  let files: Record<string, string> = Object.fromEntries(FILES.map((f) => [f, original(f)]));
  const service = planAddService(memReader(files), { name: 'billing', supervisor: released('1.2.3'), project: 'handmade-hello' });
  assert.deepEqual(service.notes, ['billing listens on port 3002'], 'ports 3001 and 3003 (jobs) are taken; the gap between them is not');
  files = { ...files, ...opsToFiles(service.ops) };
  const backend = planAddBackend(memReader(files), { name: 'billing', service: 'nginx' });
  files = { ...files, ...opsToFiles(backend.ops) };

  // Legacy compose: the entry joins the top level, in the file's 4-space style; the rest is as it was.
  assert.equal(files['docker-compose.yml'], original('docker-compose.yml') + '\nbilling:\n    build: billing/\n    links:\n        - consul\n    restart: unless-stopped\n');
  const dir = tempDir(t);
  writeOps(dir, [{ path: 'docker-compose.yml', content: files['docker-compose.yml']!, action: 'create' }]);
  for (const svc of ['nginx', 'greeter', 'echo', 'billing']) mkdirSync(join(dir, svc));
  const compose = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(compose.status, 0, compose.stderr);

  // The nginx config keeps its comments and lines and gains the watch and the hook; it still validates.
  const cfgText = files['nginx/containerpilot.json5']!;
  assert.ok(cfgText.includes('// no "when": this one runs first, at startup'));
  expectLinesKept(original('nginx/containerpilot.json5'), cfgText, 'nginx/containerpilot.json5');
  const cfg = loadConfigText(cfgText, { file: 'nginx/containerpilot.json5', env: {} });
  assert.deepEqual(cfg.watches.map((w) => w.name), ['greeter', 'echo', 'billing']);
  assert.deepEqual(cfg.jobs.map((j) => j.name), ['preStart', 'nginx', 'onchange-greeter', 'onchange-echo', 'onchange-billing']);
  const before = JSON5.parse(original('nginx/containerpilot.json5')) as { jobs: unknown[]; watches: unknown[] };
  const after = JSON5.parse(cfgText) as { jobs: unknown[]; watches: unknown[] };
  assert.deepEqual(after.jobs.slice(0, -1), before.jobs);
  assert.deepEqual(after.watches.slice(0, -1), before.watches);

  // The template, with its {{ if }} blocks, keeps its lines, gains an upstream and a location and still renders.
  const tmpl = files['nginx/nginx.conf.ctmpl']!;
  expectLinesKept(original('nginx/nginx.conf.ctmpl'), tmpl, 'nginx/nginx.conf.ctmpl');
  const catalog = (name: unknown) => (name === 'billing' ? [{ Address: '10.0.0.9', Port: 3002 }] : []);
  const rendered = renderTemplate(tmpl, {}, { name: 'nginx.conf.ctmpl', funcs: { service: catalog } });
  assert.match(rendered, /upstream billing \{\s+least_conn;\s+server 10\.0\.0\.9:3002;/);
  assert.match(rendered, /location \^~ \/billing \{/);
  assert.doesNotMatch(rendered, /upstream greeter/);
  assert.ok(rendered.indexOf('upstream billing') < rendered.indexOf('server {'));

  // Running both again changes nothing.
  assert.deepEqual(planAddBackend(memReader(files), { name: 'billing', service: 'nginx' }).ops, []);
  assert.throws(() => planAddService(memReader(files), { name: 'billing', supervisor: released('1'), project: 'p' }), /service "billing" already exists/);
  assert.deepEqual(Object.keys(parse(files['docker-compose.yml']!) as object), ['nginx', 'greeter', 'echo', 'consul', 'billing']);
});
