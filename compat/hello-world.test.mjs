// The corpus's hand-written hello-world project (hello-world/, files named by their path with
// `/` as `__`): `autopilot add` extends it in place, keeping its text, and `autopilot new
// hello-world` generates a project that does the same job without consul-template or curl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import JSON5 from 'json5';
import { parse } from 'yaml';
import { dist, files, read, repoRoot } from './corpus.mjs';

const { loadConfigText } = await dist('supervisor', 'config', 'index.js');
const { renderTemplate } = await dist('supervisor', 'template', 'index.js');
const { expectLinesKept } = await dist('generators', 'testdata', 'patch-checks.js');
const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');

const original = Object.fromEntries(files('hello-world').map((name) => [name.split('__').join('/'), read('hello-world', name)]));
const configs = Object.keys(original).filter((p) => /^[^/]+\/containerpilot\.json5$/.test(p));

function cli(args, cwd) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', CONTAINERPILOT: '' } });
  assert.equal(r.status, 0, `autopilot ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function tempProject(t, tree) {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-compat-hw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [p, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const proxy = configs.map((p) => p.split('/')[0]).find((svc) => original[`${svc}/nginx.conf.ctmpl`] !== undefined);

if (original['docker-compose.yml'] !== undefined && proxy !== undefined) {
  test(`add service + add backend on the hand-written project keep its text and stay valid`, (t) => {
    const dir = tempProject(t, original);
    const added = cli(['add', 'service', 'billing', '--yes'], dir);
    const port = Number(/billing listens on port (\d+)/.exec(added)?.[1]);
    const taken = configs.flatMap((p) => JSON5.parse(original[p]).jobs.map((j) => j.port)).filter(Boolean);
    assert.ok(port > 0 && !taken.includes(port), `billing got port ${port}; the project's jobs use ${taken.join(', ')}`);
    cli(['add', 'backend', 'billing', '--service', proxy, '--yes'], dir);
    const now = (p) => readFileSync(join(dir, p), 'utf8');

    // The compose file: the original text, then the new service.
    const compose = now('docker-compose.yml');
    assert.ok(compose.startsWith(original['docker-compose.yml']), 'the compose file keeps its text');
    assert.deepEqual(Object.keys(parse(compose)), [...Object.keys(parse(original['docker-compose.yml'])), 'billing']);
    const config = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(config.status, 0, config.stderr);

    // The proxy's config keeps its lines and comments, gains the watch and the hook, and still validates.
    const before = original[`${proxy}/containerpilot.json5`];
    const after = now(`${proxy}/containerpilot.json5`);
    expectLinesKept(before, after, `${proxy}/containerpilot.json5`);
    const cfg = loadConfigText(after, { file: `${proxy}/containerpilot.json5`, env: {} });
    assert.equal(cfg.watches.at(-1).name, 'billing');
    assert.deepEqual(cfg.jobs.at(-1).when, { kind: 'event', sources: ['watch.billing'], event: 'changed', mode: 'each', timeoutMs: 0 });
    const [b, a] = [JSON5.parse(before), JSON5.parse(after)];
    assert.deepEqual(a.jobs.slice(0, -1), b.jobs);
    assert.deepEqual(a.watches.slice(0, -1), b.watches ?? []);

    // The template keeps its lines, gains an upstream and a location, and still renders.
    const tmpl = now(`${proxy}/nginx.conf.ctmpl`);
    expectLinesKept(original[`${proxy}/nginx.conf.ctmpl`], tmpl, `${proxy}/nginx.conf.ctmpl`);
    const catalog = (name) => (name === 'billing' ? [{ Address: '10.0.0.9', Port: port }] : []);
    const rendered = renderTemplate(tmpl, {}, { name: 'nginx.conf.ctmpl', funcs: { service: catalog } });
    assert.match(rendered, new RegExp(`upstream billing \\{[^}]*server 10\\.0\\.0\\.9:${port};`));
    assert.match(rendered, /location \^~ \/billing \{/);
    assert.ok(rendered.indexOf('upstream billing') < rendered.indexOf('server {'));

    // Running both again changes nothing.
    assert.match(cli(['add', 'backend', 'billing', '--service', proxy, '--yes'], dir), /Nothing to change/);
  });
}

if (configs.length > 0) {
  test('autopilot new hello-world does the same job: same services, advertised jobs, watches and hooks, no consul-template or curl', (t) => {
    const dir = tempProject(t, {});
    cli(['new', 'hello-world', 'generated', '--yes'], dir);
    for (const p of configs) {
      const theirs = loadConfigText(original[p], { file: p, env: {} });
      const ours = loadConfigText(readFileSync(join(dir, 'generated', p), 'utf8'), { file: p, env: {} });
      const advertised = (c) => c.jobs.filter((j) => j.service).map((j) => [j.name, j.service.port]);
      assert.deepEqual(advertised(ours), advertised(theirs), `${p}: advertised jobs`);
      assert.deepEqual(ours.watches.map((w) => w.name), theirs.watches.map((w) => w.name), `${p}: watches`);
      const hooks = (c) => c.jobs.flatMap((j) => (j.when?.kind === 'event' && j.when.event === 'changed' ? j.when.sources : [])).sort();
      assert.deepEqual(hooks(ours), hooks(theirs), `${p}: hooks on changes`);
      for (const j of ours.jobs) {
        const argv = [...(j.exec ?? []), ...(j.health?.check.kind === 'exec' ? j.health.check.exec : [])].join(' ');
        assert.doesNotMatch(argv, /consul-template|curl/, `${p}: ${j.name} needs no consul-template or curl`);
      }
    }
  });
}
