/**
 * What `autopilot run` registers in a real Consul agent, from job arrays of ours
 * (supervisor/config/testdata/v3-jobs: consul extras, initial_status) and from every
 * loopback-safe `interfaces` form on this host.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import JSON5 from 'json5';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { agentChecks, agentServices, eventually, runWithConfig, type RunningSupervisor } from '../../testing/consul-run.js';
import { fixtureText } from '../../testing/config-fixtures.js';
import { TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
const running: Array<{ run: RunningSupervisor; dir: TempDir }> = [];

before(async () => {
  agent = await startConsulAgent();
});
after(async () => {
  for (const { run, dir } of running) {
    await run.cp.dispose();
    dir.dispose();
  }
  await agent?.stop();
});

/** A fixture jobs array with its fixture commands swapped for real ones, in memory. */
function fixtureJobs(name: string, replace: Record<string, string>): string {
  let text = fixtureText('v3-jobs', name);
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return text;
}

function start(jobs: string): RunningSupervisor {
  const dir = new TempDir();
  const run = runWithConfig(dir, (socket) => `{ consul: "${agent.address}", control: { socket: "${socket}" }, jobs: ${jobs} }`);
  running.push({ run, dir });
  return run;
}

const id = (name: string) => `${name}-${hostname()}`;

test('consul extras and initial_status from job configs reach Consul', async () => {
  const extras = fixtureJobs('consul-extras.json5', {
    '"/opt/search/bin/searchd"': '"sleep 60"',
    '"/opt/search/bin/search-ping"': '"true"',
    'interval: 7': 'interval: 1',
  });
  const initial = fixtureJobs('initial-status.json5', {
    '"/opt/mailer/bin/mailer"': '"sleep 60"',
    '"/opt/mailer/bin/cleaner"': '"sleep 60"',
    '"/opt/mailer/bin/mailer-ping"': '"false"',
  });
  const run = start(JSON.stringify([...JSON5.parse<unknown[]>(extras), ...JSON5.parse<unknown[]>(initial)]));

  // initial_status: registered at start with that status; its check never passes here.
  const warning = await eventually('mailer registered as warning', async () => (await agentChecks(agent))[`service:${id('mailer')}`], () => run.cp.output);
  assert.equal(warning.Status, 'warning');
  assert.equal((await agentServices(agent))[id('mail-cleaner')], undefined, 'mail-cleaner has no port: not advertised');

  await eventually('search passing', async () => (await agentChecks(agent))[`service:${id('search')}`]?.Status === 'passing', () => run.cp.output);
  const svc = (await agentServices(agent))[id('search')] as { Tags: string[]; Port: number; EnableTagOverride?: boolean };
  assert.deepEqual(svc.Tags, ['edge', 'v3']);
  assert.equal(svc.Port, 8181);
  assert.equal(svc.EnableTagOverride, true);
  // The HTTP API does not echo DeregisterCriticalServiceAfter; the agent's persisted check does.
  const persisted = readdirSync(join(agent.dataDir, 'checks'), { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => f.name)
    .map((f) => JSON.parse(readFileSync(join(agent.dataDir, 'checks', f), 'utf8')) as { ChkType?: { CheckID?: string; TTL?: number; DeregisterCriticalServiceAfter?: number } })
    .find((c) => c.ChkType?.CheckID === `service:${id('search')}`);
  assert.equal(persisted?.ChkType?.DeregisterCriticalServiceAfter, 900e9, '15m');
  assert.equal(persisted?.ChkType?.TTL, 25e9, 'ttl 25 s');
});

test('every interfaces form resolves on this host and is the registered address', async () => {
  const loV6 = (networkInterfaces()['lo'] ?? []).some((a) => a.address === '::1');
  const forms: Array<[string, string[], string]> = [
    ['if-name', ['lo'], '127.0.0.1'],
    // Addresses of an interface are indexed in ContainerPilot's sorted order, where ::1 is first.
    ['if-index', ['lo[0]'], loV6 ? '::1' : '127.0.0.1'],
    ['cidr-v4', ['127.0.0.0/8'], '127.0.0.1'],
    ['static', ['static:192.0.2.99'], '192.0.2.99'],
    ['list', ['nosuch0', '127.0.0.0/8'], '127.0.0.1'],
  ];
  if (loV6) forms.push(['if-inet6', ['lo:inet6'], '::1'], ['cidr-v6', ['::1/128'], '::1']);
  const nonLoopback = (family: 'IPv4' | 'IPv6') =>
    Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === family)
      .map((a) => a!.address);
  const jobs = forms.map(([name, interfaces], i) => `{ name: "${name}", exec: "sleep 60", port: ${9100 + i}, interfaces: ${JSON.stringify(interfaces)}, health: { exec: "true", interval: 1, ttl: 5 } }`);
  jobs.push(`{ name: "if-inet", exec: "sleep 60", port: 9199, interfaces: ["inet"], health: { exec: "true", interval: 1, ttl: 5 } }`);
  const run = start(`[${jobs.join(',\n')}]`);

  for (const [name, , address] of forms) {
    const svc = await eventually(`${name} registered`, async () => (await agentServices(agent))[id(name)], () => run.cp.output);
    assert.equal(svc.Address, address, name);
  }
  // `inet`: the first non-loopback IPv4 address when the host has one, else loopback.
  const inet = await eventually('if-inet registered', async () => (await agentServices(agent))[id('if-inet')], () => run.cp.output);
  const v4 = nonLoopback('IPv4');
  if (v4.length > 0) assert.ok(v4.includes(inet.Address), `${inet.Address} is one of ${v4.join(', ')}`);
  else assert.equal(inet.Address, '127.0.0.1');
});
