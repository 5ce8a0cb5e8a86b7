/**
 * Every generated file is checked with the tool that will read it: the supervisor's own config
 * loader, docker-compose, sh, node and nginx. Covers both blueprints and a project extended by
 * `add backend` and `add service`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { findBlueprint } from '../blueprints/index.js';
import { loadConfigText } from '../supervisor/config/index.js';
import { renderTemplate } from '../supervisor/template/index.js';
import { development, memReader, opsToFiles, tempDir, writeOps, released } from './helpers.test.js';
import { supervisorLines } from './supervisor-source.js';
import { planAddBackend, planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';

type Tree = Record<string, string>;

function generate(name: string): Tree {
  return opsToFiles(planNew({ blueprint: findBlueprint(name)!, project: 'my-app', supervisor: released('1.2.3') }));
}

/** hello-world after `add backend db --service hello`, `add service billing`, `add backend billing --service nginx`. */
function extended(): { files: Tree; modes: Map<string, number> } {
  let files = generate('hello-world');
  const modes = new Map<string, number>();
  const steps = [
    (f: Tree) => planAddBackend(memReader(f), { name: 'db', service: 'hello' }),
    (f: Tree) => planAddService(memReader(f), { name: 'billing', port: 3003, supervisor: released('1.2.3'), project: 'my-app' }),
    (f: Tree) => planAddBackend(memReader(f), { name: 'billing', service: 'nginx' }),
  ];
  for (const step of steps) {
    const { ops } = step(files);
    for (const op of ops) if (op.mode) modes.set(op.path, op.mode);
    files = { ...files, ...opsToFiles(ops) };
  }
  return { files, modes };
}

function run(cmd: string, args: string[], cwd?: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return r;
}

const PROJECTS: Record<string, () => Tree> = {
  'hello-world': () => generate('hello-world'),
  'todo-api': () => generate('todo-api'),
  'hello-world extended by add': () => extended().files,
};

for (const [label, make] of Object.entries(PROJECTS)) {
  const files = make();
  const paths = Object.keys(files);

  test(`${label}: every containerpilot.json5 loads and validates`, () => {
    const configs = paths.filter((p) => p.endsWith('containerpilot.json5'));
    assert.ok(configs.length >= 3);
    for (const path of configs) {
      const cfg = loadConfigText(files[path]!, { file: path, env: {} });
      assert.equal(cfg.consul?.address, 'consul:8500', path);
      const main = cfg.jobs[0]!;
      assert.ok(main.service && main.health, `${path}: the first job is an advertised, health-checked service`);
      // A database's check runs a query through the image's own client (no curl); apps and nginx need no fork.
      if (path.startsWith('mongo/')) assert.deepEqual(main.health.check.kind === 'exec' && main.health.check.exec.slice(0, 2), ['/bin/sh', '-c'], path);
      else assert.notEqual(main.health.check.kind, 'exec', `${path}: health checks need no fork (and no curl)`);
      for (const w of cfg.watches) assert.ok(cfg.jobs.some((j) => j.when.kind === 'event' && j.when.sources.includes(`watch.${w.name}`) && j.when.event === 'changed'), `${path}: watch ${w.name} has a changed hook`);
    }
  });

  test(`${label}: docker-compose config -q passes; only nginx and consul publish ports`, (t: TestContext) => {
    const dir = tempDir(t);
    writeOps(dir, paths.filter((p) => p === 'docker-compose.yml').map((p) => ({ path: p, content: files[p]!, action: 'create' })));
    for (const svc of Object.keys(parse(files['docker-compose.yml']!).services as object)) mkdirSync(join(dir, svc), { recursive: true });
    const r = run('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q']);
    assert.equal(r.status, 0, r.stderr);
    const services = parse(files['docker-compose.yml']!).services as Record<string, { ports?: unknown[] }>;
    assert.deepEqual(Object.keys(services).filter((s) => services[s]!.ports).sort(), ['consul', 'nginx']);
  });

  test(`${label}: scripts pass sh -n, JavaScript passes node --check`, (t: TestContext) => {
    const dir = tempDir(t);
    writeOps(dir, paths.map((p) => ({ path: p, content: files[p]!, action: 'create' })));
    for (const p of paths.filter((x) => x.endsWith('.sh'))) {
      assert.match(files[p]!, /^#!\/bin\/sh\n/, p);
      const r = run('sh', ['-n', join(dir, p)]);
      assert.equal(r.status, 0, `${p}: ${r.stderr}`);
    }
    for (const p of paths.filter((x) => x.endsWith('.js'))) {
      const r = run(process.execPath, ['--check', join(dir, p)]);
      assert.equal(r.status, 0, `${p}: ${r.stderr}`);
    }
  });

  test(`${label}: Dockerfiles: the pinned autopilot install stage, then only FROM, COPY, ENV, EXPOSE, STOPSIGNAL, HEALTHCHECK, CMD (npm ci for the api)`, () => {
    const stage = supervisorLines(released('1.2.3'), 'glibc').stage;
    for (const p of paths.filter((x) => x.endsWith('Dockerfile'))) {
      const text = files[p]!;
      const at = text.indexOf(stage);
      assert.ok(at > 0, `${p}: the autopilot install stage, exactly as generated`);
      assert.ok(text.slice(0, at).split('\n').every((l) => l === '' || l.startsWith('#')), `${p}: nothing before the stage but comments`);
      const instructions = text.slice(at + stage.length).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
      for (const line of instructions) {
        const ok = /^(FROM|COPY|ENV|EXPOSE|STOPSIGNAL|CMD) /.test(line) || line === 'HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["autopilot", "health"]' || (p === 'api/Dockerfile' && /^(WORKDIR \/opt\/api|RUN npm ci --omit=dev|ARG NPM_CONFIG_REGISTRY=https:\/\/registry\.npmjs\.org\/)$/.test(line));
        assert.ok(ok, `${p}: "${line}" is not allowed after the stage`);
      }
      assert.match(text, /^COPY --from=autopilot \/autopilot\/package\/bin\/autopilot \/usr\/local\/bin\/autopilot$/m, p);
      assert.match(text, /^CMD \["autopilot", "run", "--config", "[^"]+containerpilot\.json5"\]$/m, p);
      assert.match(text, /^HEALTHCHECK .* CMD \["autopilot", "health"\]$/m, `${p}: Docker asks the supervisor for its health`);
      assert.doesNotMatch(instructions.join('\n'), /curl|consul-template|apt-get|apk /, p);
    }
  });

  test(`${label}: nginx accepts the generated nginx.conf`, (t: TestContext) => {
    const dir = tempDir(t);
    writeOps(dir, [{ path: 'nginx.conf', content: files['nginx/nginx.conf']!, action: 'create' }]);
    const r = run('nginx', ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(files['nginx/nginx.conf']!, /server 127\.0\.0\.1:65535 down;/);
  });
  test(`${label}: nginx.conf.ctmpl, rendered as autopilot render does, is accepted by nginx`, (t: TestContext) => {
    const dir = tempDir(t);
    const backends = [...files['nginx/nginx.conf.ctmpl']!.matchAll(/range service "([a-z0-9-]+)"/g)].map((m) => m[1]!);
    assert.ok(backends.length >= 1);
    // First with no instance anywhere, then with two instances of the first backend.
    for (const instances of [0, 2]) {
      const catalog = (name: unknown) => (name === backends[0] ? [{ Address: '10.0.0.2', Port: 3001 }, { Address: '10.0.0.3', Port: 3001 }].slice(0, instances) : []);
      const conf = renderTemplate(files['nginx/nginx.conf.ctmpl']!, {}, { name: 'nginx.conf.ctmpl', funcs: { service: catalog } });
      writeOps(dir, [{ path: 'nginx.conf', content: conf, action: 'create' }]);
      const r = run('nginx', ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')]);
      assert.equal(r.status, 0, r.stderr);
      const upstream = new RegExp(`upstream ${backends[0]} \\{[^}]*\\}`).exec(conf)![0];
      assert.deepEqual([...upstream.matchAll(/server (\S+)/g)].map((m) => m[1]), instances ? ['10.0.0.2:3001;', '10.0.0.3:3001;'] : ['127.0.0.1:65535']);
      for (const b of backends) assert.match(conf, new RegExp(`location \\^~ /${b} \\{`));
    }
  });
}

type Lock = { name: string; lockfileVersion: number; packages: Record<string, { version?: string; integrity?: string; link?: boolean; resolved?: string; dependencies?: Record<string, string> }> };

for (const [label, supervisor] of [['a release', released('1.2.3')], ['a development build', development('1.2.3')]] as const) {
  test(`the api lockfile is a real npm lockfile for the package.json it ships with (${label}); npm finds them in sync`, (t: TestContext) => {
    const files = opsToFiles(planNew({ blueprint: findBlueprint('todo-api')!, project: 'my-app', supervisor }));
    const pkg = JSON.parse(files['api/package.json']!) as { name: string; dependencies: Record<string, string> };
    const lock = JSON.parse(files['api/package-lock.json']!) as Lock;
    assert.equal(lock.name, pkg.name);
    assert.equal(lock.lockfileVersion, 3);
    assert.deepEqual(lock.packages['']!.dependencies, pkg.dependencies);
    const driver = lock.packages['node_modules/mongodb']!;
    assert.match(driver.version!, /^6\./);
    for (const dep of Object.keys(driver.dependencies ?? {})) assert.ok(`node_modules/${dep}` in lock.packages, `lockfile misses ${dep}`);
    const client = lock.packages['node_modules/autopilot-pattern-client']!;
    if (supervisor.clientIntegrity) {
      assert.equal(pkg.dependencies['autopilot-pattern-client'], '1.2.3', 'the exact version the release published');
      assert.equal(client.integrity, supervisor.clientIntegrity);
    } else {
      assert.equal(pkg.dependencies['autopilot-pattern-client'], 'file:vendor/autopilot-pattern-client');
      assert.deepEqual(client, { resolved: 'vendor/autopilot-pattern-client', link: true });
      assert.match(files['api/vendor/autopilot-pattern-client/index.js']!, /export /);
      assert.match(files['api/Dockerfile']!, /^COPY vendor\/ \.\/vendor\/\nRUN npm ci --omit=dev$/m, 'the vendored client is in place before npm ci');
    }
    for (const [path, entry] of Object.entries(lock.packages)) if (path && !entry.link && !path.startsWith('vendor/')) assert.match(entry.integrity ?? '', /^sha512-/, path);
    // npm itself: every dependency of package.json locked, nothing invalid (no node_modules needed).
    const dir = tempDir(t);
    writeOps(dir, planNew({ blueprint: findBlueprint('todo-api')!, project: 'my-app', supervisor }).filter((op) => op.path.startsWith('api/')));
    const ls = run('npm', ['ls', '--package-lock-only', '--all', '--offline'], join(dir, 'api'));
    assert.equal(ls.status, 0, ls.stdout + ls.stderr);
  });
}

test('add backend writes its hook script executable', () => {
  const { modes } = extended();
  assert.equal(modes.get('hello/onchange-db.sh'), 0o755);
});

test('README explains run, scale (both forms) and verify with exact commands', () => {
  const readme = generate('hello-world')['README.md']!;
  for (const cmd of ['docker compose up -d --build', 'docker compose up -d --scale hello=10 --scale world=6', 'docker compose scale hello=10 world=6', 'type `docker-compose` wherever this says `docker compose`', 'curl http://localhost/hello', 'curl http://localhost/world']) assert.ok(readme.includes(cmd), cmd);
});
