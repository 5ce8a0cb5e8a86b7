/**
 * The swarm target: docker-stack.yml's shape for each blueprint and after `add`, the Consul
 * server image, a Consul agent in every supervised container, and every config still valid.
 * That `docker stack deploy` accepts the file is proven on a real swarm (e2e/swarm-stack).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { findBlueprint } from '../../blueprints/index.js';
import { loadConfigText } from '../../supervisor/config/index.js';
import { memReader, opsToFiles, released, runCli, tempDir, writeOps } from '../helpers.test.js';
import { planAddService } from '../plan-add.js';
import { appServices, planBackend } from '../plan-backend.js';
import { planNew } from '../plan-new.js';
import { keepStackInStep, swarmConfig, swarmDockerfile } from './swarm.js';

type Service = { image: string; build: string; ports?: Array<Record<string, unknown>>; volumes?: string[]; environment?: string[]; networks: string[]; deploy: Record<string, any> };
type Stack = { version: string; services: Record<string, Service>; networks: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> };

const supervisor = released('1.2.3');
const generate = (blueprint: string, target?: 'swarm' | 'compose') => opsToFiles(planNew({ blueprint: findBlueprint(blueprint)!, project: 'shop', supervisor, target }));
const stackOf = (files: Record<string, string>) => parse(files['docker-stack.yml']!) as Stack;

/** Every supervised service: its Dockerfile brings Consul, its config runs an agent and talks to it. */
function assertAgents(files: Record<string, string>, services: string[]) {
  for (const s of services) {
    const path = `${s}/containerpilot.json5`;
    const cfg = loadConfigText(files[path]!, { file: path, env: { CONSUL_BIND: '10.0.0.2' } });
    assert.equal(cfg.consul?.address, 'localhost:8500', path);
    const agent = cfg.jobs.find((j) => j.name === 'consul-agent');
    assert.ok(agent, `${path}: a consul-agent job`);
    assert.deepEqual(agent.exec, ['consul', 'agent', '-retry-join=tasks.consul', '-retry-join=consul', '-retry-interval=5s', '-data-dir=/tmp/consul', '-bind=10.0.0.2']);
    // Every job registered in Consul, and the agent, wait for the drain (maintenance, then a pause) before they stop.
    const registered = cfg.jobs.filter((j) => j.service !== undefined).map((j) => j.name);
    assert.ok(registered.length > 0, path);
    const drain = cfg.jobs.find((j) => j.name === 'drain');
    assert.deepEqual(drain?.exec, ['/bin/sh', '-c', 'autopilot ctl maintenance enable; sleep 2'], path);
    assert.deepEqual(drain?.when, { kind: 'event', sources: [...registered, 'consul-agent'], event: 'stopping', mode: 'once', timeoutMs: 0 }, path);
    assert.ok(!files[path]!.includes('consul:8500'), path);
    assert.match(files[`${s}/Dockerfile`]!, /^COPY --from=hashicorp\/consul:1\.20 \/bin\/consul \/usr\/local\/bin\/consul$/m);
  }
}

test('new hello-world --target swarm: consul cluster of 3, global nginx on host ports, apps start-first, all dnsrr on one overlay', () => {
  const files = generate('hello-world', 'swarm');
  const stack = stackOf(files);
  assert.equal(stack.version, '3.8');
  assert.deepEqual(Object.keys(stack.services), ['consul', 'nginx', 'hello', 'world']);
  assert.deepEqual(stack.networks, { autopilot: { driver: 'overlay', attachable: true } });
  assert.deepEqual(Object.keys(stack.volumes), ['consul-data']);
  for (const [name, s] of Object.entries(stack.services)) {
    assert.equal(s.image, `\${REGISTRY:-}shop-${name}:\${TAG:-latest}`);
    assert.equal(s.build, `${name}/`);
    assert.deepEqual(s.networks, ['autopilot']);
    assert.equal(s.deploy['endpoint_mode'], 'dnsrr', name);
    assert.equal(s.deploy['restart_policy'].condition, 'any', name);
    assert.ok(s.deploy['resources'].limits.memory && s.deploy['resources'].reservations.memory, name);
  }
  const { consul, nginx, hello, world } = stack.services;
  assert.equal(consul!.deploy['replicas'], 3);
  assert.deepEqual(consul!.deploy['placement'], { max_replicas_per_node: 1 });
  assert.deepEqual(consul!.volumes, ['consul-data:/consul/data']);
  assert.equal((consul as Service & { hostname: string }).hostname, 'consul-{{.Node.Hostname}}');
  assert.equal(consul!.deploy['update_config'].order, 'stop-first');
  assert.equal(nginx!.deploy['mode'], 'global');
  assert.deepEqual(nginx!.ports, [{ target: 80, published: 80, protocol: 'tcp', mode: 'host' }]);
  assert.equal(nginx!.deploy['update_config'].order, 'stop-first');
  for (const app of [hello!, world!]) assert.deepEqual([app.deploy['replicas'], app.deploy['update_config'].order], [3, 'start-first']);
  // Where start-first is not used, the file says why.
  assert.match(files['docker-stack.yml']!, /# stop-first: the old task holds the host port/);
  assert.match(files['docker-stack.yml']!, /# stop-first, one at a time: a new server must not share the old one's data volume/);
  assert.match(files['docker-stack.yml']!, /# published on each node itself \(mode: host\): the routing mesh needs IPVS/);
  assertAgents(files, ['nginx', 'hello', 'world']);
  assert.match(files['nginx/containerpilot.json5']!, /"-consul",\s*"localhost:8500"|-consul localhost:8500/);
  assert.match(files['README.md']!, /## Docker Swarm[\s\S]*tasks\.consul[\s\S]*IPVS/);
});

test('the Consul servers: autopilot runs consul as a raft server that joins tasks.consul, data on the volume, health on leader and quorum', () => {
  const files = generate('hello-world', 'swarm');
  const cfg = loadConfigText(files['consul/containerpilot.json5']!, { file: 'consul/containerpilot.json5', env: { CONSUL_BIND: '10.0.0.5', CONSUL_EXPECT: '3' } });
  const [server] = cfg.jobs;
  assert.equal(server!.name, 'consul-server');
  assert.deepEqual(server!.exec, ['consul', 'agent', '-server', '-ui', '-bootstrap-expect=3', '-retry-join=tasks.consul', '-retry-interval=5s', '-data-dir=/consul/data', '-bind=10.0.0.5', '-client=0.0.0.0']);
  assert.equal(server!.health?.check.kind, 'exec');
  assert.match(files['consul/check-raft.mjs']!, /\/v1\/status\/leader[\s\S]*\/v1\/status\/peers/);
  assert.match(files['consul/Dockerfile']!, /^COPY --from=consul \/bin\/consul \/usr\/local\/bin\/consul$/m);
  assert.match(files['consul/Dockerfile']!, /^VOLUME \/consul\/data$/m);
  // Docker sees whether the agent answers: swarm DNS lists only healthy tasks, and the servers join through it.
  assert.match(files['consul/Dockerfile']!, /^HEALTHCHECK .*\["node", "\/etc\/consul-server\/check-raft.mjs", "--answers"\]$/m);
});

test('new --target compose (the default) writes no stack and leaves the services as they were', () => {
  const plain = generate('hello-world');
  assert.deepEqual(generate('hello-world', 'compose'), plain);
  assert.equal(plain['docker-stack.yml'], undefined);
  assert.equal(plain['consul/containerpilot.json5'], undefined);
  assert.ok(!plain['hello/containerpilot.json5']!.includes('consul-agent'));
  // The swarm project's compose file is the compose target's (one model, two renderings), but for
  // its dev server gossiping on the compose network, where the swarm images' agents join it.
  const served = plain['docker-compose.yml']!.replace('command: consul agent -dev -client 0.0.0.0\n', 'command: consul agent -dev -client 0.0.0.0 -bind 0.0.0.0\n');
  assert.notEqual(served, plain['docker-compose.yml']);
  assert.equal(generate('hello-world', 'swarm')['docker-compose.yml'], served);
});

test('new todo-api --target swarm: the api reaches its own agent, mongo is placed by a node label and updated stop-first', () => {
  const files = generate('todo-api', 'swarm');
  const stack = stackOf(files);
  assert.deepEqual(Object.keys(stack.services), ['consul', 'nginx', 'api', 'mongo']);
  assert.deepEqual(stack.services['api']!.environment, ['CONSUL=localhost:8500']);
  assert.deepEqual([stack.services['mongo']!.deploy['replicas'], stack.services['mongo']!.deploy['update_config'].order], [1, 'stop-first']);
  assert.deepEqual(stack.services['mongo']!.deploy['placement'], { constraints: ['node.labels.mongo.data == true'] });
  assertAgents(files, ['nginx', 'api', 'mongo']);
  assert.match(files['api/Dockerfile']!, /CONSUL=localhost:8500/);
});

test('add service and add backend in a swarm project keep docker-stack.yml in step; consul is not an app', () => {
  let files = generate('hello-world', 'swarm');
  const apply = (ops: ReturnType<typeof planAddService>['ops']) => (files = { ...files, ...opsToFiles(keepStackInStep(memReader(files), ops, 'shop')) });
  apply(planAddService(memReader(files), { name: 'greet', supervisor, project: 'shop' }).ops);
  assert.deepEqual(appServices(memReader(files)), ['hello', 'world', 'greet']);
  apply(planBackend(memReader(files), { name: 'db', dependants: ['hello'], image: 'postgres', context: { project: 'shop', supervisor } }).ops);
  const stack = stackOf(files);
  assert.deepEqual(Object.keys(stack.services), ['consul', 'nginx', 'hello', 'world', 'greet', 'db']);
  assert.equal(stack.services['greet']!.deploy['update_config'].order, 'start-first');
  assert.equal(stack.services['db']!.deploy['update_config'].order, 'stop-first');
  assert.deepEqual(stack.services['db']!.volumes, [stack.services['db']!.volumes![0]]);
  assert.match(stack.services['db']!.volumes![0]!, /^db-data:/);
  assert.deepEqual(Object.keys(stack.volumes).sort(), ['consul-data', 'db-data']);
  assertAgents(files, ['nginx', 'hello', 'world', 'greet', 'db']);
  // Running the same add again changes nothing.
  assert.deepEqual(keepStackInStep(memReader(files), [], 'shop'), []);
});

test('add in a compose project writes no stack file', () => {
  const files = generate('hello-world');
  const ops = keepStackInStep(memReader(files), planAddService(memReader(files), { name: 'greet', supervisor, project: 'shop' }).ops, 'shop');
  assert.ok(!ops.some((op) => op.path === 'docker-stack.yml'));
  assert.ok(!opsToFiles(ops)['greet/containerpilot.json5']!.includes('consul-agent'));
});

test('new hello-world --target swarm: its docker-compose.yml runs too, the agents joining the compose Consul by its service name', () => {
  const files = generate('hello-world', 'swarm');
  const compose = parse(files['docker-compose.yml']!) as { services: Record<string, { command?: string; image?: string }> };
  // The dev server gossips on the compose network, not on loopback only, so the agents can join it.
  assert.equal(compose.services['consul']!.command, 'consul agent -dev -client 0.0.0.0 -bind 0.0.0.0');
  for (const s of ['nginx', 'hello', 'world']) {
    const cfg = loadConfigText(files[`${s}/containerpilot.json5`]!, { file: s, env: { CONSUL_BIND: '10.0.0.2' } });
    const agent = cfg.jobs.find((j) => j.name === 'consul-agent');
    assert.ok(agent?.exec?.includes('-retry-join=consul') === true, s);
  }
  assert.match(files['README.md']!, /docker compose up/);
  assert.doesNotMatch(files['README.md']!, /does not find Consul/);
});

test('the swarm changes to a config and a Dockerfile are made once', () => {
  const files = generate('hello-world');
  const cfg = swarmConfig(files['hello/containerpilot.json5']!, 'hello/containerpilot.json5');
  assert.equal(swarmConfig(cfg, 'hello/containerpilot.json5'), cfg);
  const dockerfile = swarmDockerfile(files['hello/Dockerfile']!);
  assert.equal(swarmDockerfile(dockerfile), dockerfile);
});

test('autopilot new --target: swarm writes docker-stack.yml; a bad target is one line naming the choices', (t: TestContext) => {
  const dir = tempDir(t);
  const ok = runCli(['new', 'hello-world', 'app', '--target', 'swarm', '--yes'], { cwd: dir });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /docker stack deploy -c docker-stack\.yml app/);
  const added = runCli(['add', 'service', 'greet', '--dir', join(dir, 'app'), '--yes'], { cwd: dir });
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /docker stack deploy -c docker-stack\.yml app/);
  assert.match(readFileSync(join(dir, 'app', 'docker-stack.yml'), 'utf8'), /^  greet:$/m);
  const bad = runCli(['new', 'hello-world', 'app2', '--target', 'swarn', '--yes'], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /--target swarn: expected compose or swarm \(did you mean "swarm"\?\)/);
});

test('docker-stack.yml loads in docker-compose (config -q), which builds and pushes its images', (t: TestContext) => {
  for (const blueprint of ['hello-world', 'todo-api']) {
    const dir = tempDir(t);
    writeOps(dir, Object.entries(generate(blueprint, 'swarm')).map(([path, content]) => ({ path, content, action: 'create' as const })));
    const r = spawnSync('docker-compose', ['-f', join(dir, 'docker-stack.yml'), 'config', '-q'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, REGISTRY: 'registry.example.com/' } });
    assert.equal(r.status, 0, `${blueprint}: ${r.stderr}`);
  }
});
