/**
 * `--consul-agent`: every supervised container runs a Consul agent that retry-joins the server,
 * autopilot and the app talk to it on localhost, and `add` keeps to that in such a project.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { findBlueprint } from '../blueprints/index.js';
import { loadConfigText } from '../supervisor/config/index.js';
import { AGENT_ADDRESS, CONSUL_IMAGE } from './components.js';
import { memReader, opsToFiles, released, tempDir, writeOps } from './helpers.test.js';
import { planAddBackend, planAddService } from './plan-add.js';
import { planBackend } from './plan-backend.js';
import { planNew } from './plan-new.js';

type Tree = Record<string, string>;
const supervisor = released('1.2.3');
const make = (blueprint: string, consulAgent: boolean): Tree => opsToFiles(planNew({ blueprint: findBlueprint(blueprint)!, project: 'my-app', supervisor, consulAgent }));

/** Every supervised service of a tree: its config loaded by the supervisor's own loader, and its Dockerfile. */
function supervised(files: Tree) {
  return Object.keys(files).filter((p) => p.endsWith('/containerpilot.json5')).map((path) => ({ path, cfg: loadConfigText(files[path]!, { file: path, env: {} }), dockerfile: files[path.replace('containerpilot.json5', 'Dockerfile')] ?? '' }));
}

function checkAgentProject(files: Tree): void {
  const all = supervised(files);
  assert.ok(all.length >= 3);
  for (const { path, cfg, dockerfile } of all) {
    assert.equal(cfg.consul?.address, AGENT_ADDRESS, `${path}: autopilot registers with its local agent`);
    const agent = cfg.jobs.find((j) => j.name === 'consul-agent');
    assert.ok(agent, `${path}: a consul-agent job`);
    assert.deepEqual(agent.exec?.slice(0, 2), ['consul', 'agent'], path);
    assert.ok(agent.exec?.includes('-retry-join=consul'), `${path}: the agent retry-joins the consul service`);
    assert.equal(agent.restarts, 'unlimited', `${path}: the agent is restarted whenever it exits`);
    assert.match(dockerfile, new RegExp(`^COPY --from=${CONSUL_IMAGE.replace('.', '\\.')} /bin/consul /usr/local/bin/consul$`, 'm'), `${path}: the image has the agent's binary`);
    for (const job of cfg.jobs) {
      const exec = job.exec ?? [];
      const consulFlag = exec.indexOf('-consul');
      if (consulFlag >= 0) assert.equal(exec[consulFlag + 1], AGENT_ADDRESS, `${path}: job ${job.name} asks the local agent`);
    }
  }
  const compose = parse(files['docker-compose.yml']!) as { services: Record<string, { image?: string; command?: string; environment?: string[] }> };
  assert.equal(compose.services['consul']!.image, CONSUL_IMAGE, 'the agents copy their binary from the server\'s image');
  assert.match(compose.services['consul']!.command!, /-bind 0\.0\.0\.0/, 'the server gossips on the compose network, so agents can join');
}

for (const blueprint of ['hello-world', 'todo-api']) {
  test(`new ${blueprint} --consul-agent: an agent job in every container, autopilot on localhost:8500; docker-compose config -q passes`, (t: TestContext) => {
    const files = make(blueprint, true);
    checkAgentProject(files);
    const dir = tempDir(t);
    writeOps(dir, [{ path: 'docker-compose.yml', content: files['docker-compose.yml']!, action: 'create' }]);
    for (const svc of Object.keys((parse(files['docker-compose.yml']!) as { services: object }).services)) mkdirSync(join(dir, svc), { recursive: true });
    const r = spawnSync('docker-compose', ['config', '-q'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
  });

  test(`new ${blueprint} without --consul-agent: no agent, the consul service at consul:8500`, () => {
    for (const { path, cfg, dockerfile } of supervised(make(blueprint, false))) {
      assert.equal(cfg.consul?.address, 'consul:8500', path);
      assert.ok(!cfg.jobs.some((j) => j.name === 'consul-agent'), path);
      assert.doesNotMatch(dockerfile, /\/bin\/consul/, path);
    }
  });
}

test('in a --consul-agent project, add service, add backend (a new database) and an nginx route keep to the agent', () => {
  let files = make('hello-world', true);
  const steps = [
    (f: Tree) => planAddService(memReader(f), { name: 'billing', port: 3003, supervisor, project: 'my-app', consulAgent: true }),
    (f: Tree) => planAddBackend(memReader(f), { name: 'billing', service: 'nginx' }),
    (f: Tree) => planBackend(memReader(f), { name: 'db', dependants: ['hello'], image: 'postgres', context: { project: 'my-app', supervisor, consulAgent: true } }),
  ];
  for (const step of steps) files = { ...files, ...opsToFiles(step(files).ops) };
  assert.ok(files['billing/containerpilot.json5'] && files['db/containerpilot.json5']);
  checkAgentProject(files);
});

test('add service --consul-agent in a project made without it: the generated consul command gets -bind, the new service an agent', () => {
  const files = make('hello-world', false);
  const { ops } = planAddService(memReader(files), { name: 'billing', port: 3003, supervisor, project: 'my-app', consulAgent: true });
  const after = { ...files, ...opsToFiles(ops) };
  assert.match(after['docker-compose.yml']!, /^\s*command: consul agent -dev -client 0\.0\.0\.0 -bind 0\.0\.0\.0$/m);
  const [billing] = supervised(after).filter((s) => s.path.startsWith('billing/'));
  assert.ok(billing!.cfg.jobs.some((j) => j.name === 'consul-agent'));
});
