/**
 * `add` on a project written by hand: the original autopilotpattern/hello-world (legacy compose
 * format, its own comments and layout), read from the shared compatibility corpus.
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
import { compatDir } from '../testing/paths.js';
import { memReader, opsToFiles, tempDir, writeOps } from './helpers.test.js';
import { planAddBackend, planAddService } from './plan-add.js';

const original = (name: string) => readFileSync(join(compatDir, 'hello-world', name), 'utf8');

function originalProject(): Record<string, string> {
  return {
    'docker-compose.yml': original('docker-compose.yml'),
    'nginx/containerpilot.json5': original('nginx__containerpilot.json5'),
    'nginx/nginx.conf.ctmpl': original('nginx__nginx.conf.ctmpl'),
    'nginx/nginx.conf': original('nginx__nginx.conf'),
    'hello/containerpilot.json5': original('hello__containerpilot.json5'),
    'world/containerpilot.json5': original('world__containerpilot.json5'),
  };
}

test('add service + add backend on the original hello-world keep its text and stay valid', (t) => {
  let files = originalProject();
  const service = planAddService(memReader(files), { name: 'billing', version: '1.2.3', project: 'hello-world' });
  assert.deepEqual(service.notes, ['billing listens on port 3003'], 'ports 3001, 3002 (jobs) are taken');
  files = { ...files, ...opsToFiles(service.ops) };
  const backend = planAddBackend(memReader(files), { name: 'billing', service: 'nginx' });
  files = { ...files, ...opsToFiles(backend.ops) };

  // Legacy compose: the entry joins the top level, in the file's 4-space style; the rest is as it was.
  assert.equal(files['docker-compose.yml'], original('docker-compose.yml') + '\nbilling:\n    build: billing/\n    links:\n        - consul\n    restart: unless-stopped\n');
  const dir = tempDir(t);
  writeOps(dir, [{ path: 'docker-compose.yml', content: files['docker-compose.yml']!, action: 'create' }]);
  for (const svc of ['nginx', 'hello', 'world', 'billing']) mkdirSync(join(dir, svc));
  const compose = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(compose.status, 0, compose.stderr);

  // The nginx config keeps its comments and gains the watch and the hook; it still validates.
  const cfgText = files['nginx/containerpilot.json5']!;
  assert.ok(cfgText.includes('// without a "when" field this will start first'));
  const cfg = loadConfigText(cfgText, { file: 'nginx/containerpilot.json5', env: {} });
  assert.deepEqual(cfg.watches.map((w) => w.name), ['hello', 'world', 'billing']);
  assert.deepEqual(cfg.jobs.map((j) => j.name), ['preStart', 'nginx', 'onchange-hello', 'onchange-world', 'onchange-billing']);
  const before = JSON5.parse(original('nginx__containerpilot.json5')) as { jobs: unknown[]; watches: unknown[] };
  const after = JSON5.parse(cfgText) as { jobs: unknown[]; watches: unknown[] };
  assert.deepEqual(after.jobs.slice(0, -1), before.jobs);
  assert.deepEqual(after.watches.slice(0, -1), before.watches);

  // The template, with its {{ if }} blocks, gains an upstream and a location and still renders.
  const tmpl = files['nginx/nginx.conf.ctmpl']!;
  const catalog = (name: unknown) => (name === 'billing' ? [{ Address: '10.0.0.9', Port: 3003 }] : []);
  const rendered = renderTemplate(tmpl, {}, { name: 'nginx.conf.ctmpl', funcs: { service: catalog } });
  assert.match(rendered, /upstream billing \{\s+least_conn;\s+server 10\.0\.0\.9:3003;/);
  assert.match(rendered, /location \^~ \/billing \{/);
  assert.doesNotMatch(rendered, /upstream hello/);
  assert.ok(rendered.indexOf('upstream billing') < rendered.indexOf('server {'));

  // Running both again changes nothing.
  assert.deepEqual(planAddBackend(memReader(files), { name: 'billing', service: 'nginx' }).ops, []);
  assert.throws(() => planAddService(memReader(files), { name: 'billing', version: '1', project: 'p' }), /service "billing" already exists/);
  assert.deepEqual(Object.keys(parse(files['docker-compose.yml']!) as object), ['nginx', 'hello', 'world', 'consul', 'billing']);
});
