/** The client against a real Consul agent: reads, picking, waiting, watching. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { consulAgentForFile } from '../testing/consul-agent-file.js';
import { consulPut } from '../testing/consul-agent.js';
import { NoHealthyInstanceError, Services, type Instance } from './index.js';

const file = consulAgentForFile();
const agent = () => file.current();
const register = (id: string, port: number, status: 'passing' | 'critical', extra: Record<string, unknown> = {}) =>
  consulPut(agent(), '/v1/agent/service/register', { ID: id, Name: id.replace(/-.*$/, ''), Address: '10.9.0.1', Port: port, Tags: ['t'], Meta: { v: '1' }, Check: { CheckID: `service:${id}`, TTL: '60s', Status: status }, ...extra });
const setCheck = (id: string, status: 'pass' | 'fail') => consulPut(agent(), `/v1/agent/check/${status}/service:${id}`);
const ids = (list: readonly Instance[]) => list.map((i) => i.id);

/** Resolves with the next 'change' of `name` whose ids satisfy `ok`, or rejects after `ms`. */
function changeTo(client: Services, name: string, ok: (ids: string[]) => boolean, ms = 15_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('change', on);
      reject(new Error(`no change of ${name} within ${ms} ms`));
    }, ms);
    function on(changed: string, list: Instance[]) {
      if (changed !== name || !ok(ids(list))) return;
      clearTimeout(timer);
      client.off('change', on);
      resolve(ids(list));
    }
    client.on('change', on);
  });
}

describe('client against a real Consul', () => {
  it('services() lists the passing instances only, with address, port, tags and meta', async () => {
    await register('db-1', 27017, 'passing');
    await register('db-2', 27018, 'passing');
    await register('db-3', 27019, 'critical');
    const client = new Services({ address: agent().address, sighup: false });
    const list = await client.services('db');
    assert.deepEqual(ids(list), ['db-1', 'db-2']);
    assert.deepEqual({ ...list[0]! }, { id: 'db-1', name: 'db', address: '10.9.0.1', port: 27017, node: agent().nodeName, tags: ['t'], meta: { v: '1' } });
    client.close();
  });

  it('service() takes the instances in turn; random picks among them', async () => {
    const client = new Services({ address: agent().address, sighup: false });
    const picked = [];
    for (let i = 0; i < 4; i++) picked.push((await client.service('db')).id);
    assert.deepEqual(picked, ['db-1', 'db-2', 'db-1', 'db-2']);
    const random = new Services({ address: agent().address, strategy: 'random', sighup: false });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await random.service('db')).id);
    assert.deepEqual([...seen].sort(), ['db-1', 'db-2']);
  });

  it('service() of a service with no passing instance rejects with a message naming it and the agent', async () => {
    const client = new Services({ address: agent().address, sighup: false });
    await assert.rejects(client.service('nothing'), (err: Error) => err instanceof NoHealthyInstanceError && err.message === `no healthy instance of "nothing" in Consul at http://${agent().address}`);
  });

  it('service() with timeoutMs waits for an instance that starts passing', async () => {
    const client = new Services({ address: agent().address, sighup: false });
    await register('cache-1', 6379, 'critical');
    const waiting = client.service('cache', { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    await setCheck('cache-1', 'pass');
    assert.equal((await waiting).id, 'cache-1');
    client.close();
  });

  it('watch() emits change as instances pass, fail and leave; services() then answers from the cache', async () => {
    const client = new Services({ address: agent().address, sighup: false, waitSeconds: 30 });
    const first = once(client, 'change');
    client.watch('db');
    assert.deepEqual(ids((await first)[1] as Instance[]), ['db-1', 'db-2']);
    const passing = changeTo(client, 'db', (l) => l.includes('db-3'));
    await setCheck('db-3', 'pass');
    assert.deepEqual(await passing, ['db-1', 'db-2', 'db-3']);
    const failing = changeTo(client, 'db', (l) => !l.includes('db-1'));
    await setCheck('db-1', 'fail');
    assert.deepEqual(await failing, ['db-2', 'db-3']);
    const leaving = changeTo(client, 'db', (l) => !l.includes('db-2'));
    await consulPut(agent(), '/v1/agent/service/deregister/db-2');
    assert.deepEqual(await leaving, ['db-3']);
    assert.deepEqual(ids(await client.services('db')), ['db-3']);
    client.close();
  });
});
