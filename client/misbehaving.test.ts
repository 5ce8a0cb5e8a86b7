/**
 * The client against a small real server answering as a broken Consul or proxy does: no hot
 * loop on a bad index, errors that say what Consul answered, one 'error' per distinct failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MisbehavingConsul, type Misbehaviour } from '../testing/misbehaving-consul.js';
import { ConsulAnswerError, Services } from './index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function watchAgainst(mode: Misbehaviour, ms: number) {
  const consul = new MisbehavingConsul(mode);
  const client = new Services({ address: await consul.address(), sighup: false });
  const errors: string[] = [];
  client.on('error', (err: Error) => errors.push(`${err.name}: ${err.message}`));
  client.watch('db');
  const since = await consul.firstRequest();
  await sleep(ms);
  client.close();
  const requests = consul.countSince(since);
  await consul.close();
  return { requests, errors };
}

describe('client against a misbehaving Consul', () => {
  for (const mode of ['index-zero', 'index-backwards'] as const) {
    it(`${mode}: the watch resets its index and asks at most about once a second`, async () => {
      const { requests, errors } = await watchAgainst(mode, 3_000);
      assert.ok(requests >= 2 && requests <= 5, `${requests} requests in 3 s`);
      assert.deepEqual(errors, []);
    });
  }

  const expected: Record<string, string> = {
    'status-500': 'ConsulAnswerError: Consul answered 500: rpc error making call: No cluster leader',
    'html-502': 'ConsulAnswerError: Consul answered 502: 502 Bad Gateway 502 Bad Gateway nginx',
    'html-200': 'ConsulAnswerError: Consul answered 200 with something other than JSON (text/html): 502 Bad Gateway 502 Bad Gateway nginx',
    'json-wrong-shape': 'ConsulAnswerError: Consul answered 200 with JSON of the wrong shape: expected a list of instances, got an object',
  };
  for (const [mode, message] of Object.entries(expected)) {
    it(`${mode}: one 'error' naming what Consul answered, then retries with back-off`, async () => {
      const { requests, errors } = await watchAgainst(mode as Misbehaviour, 2_000);
      assert.deepEqual(errors, [message]);
      assert.ok(requests >= 2 && requests <= 8, `${requests} requests in 2 s: retried, backing off`);
    });
  }

  it('a one-shot read rejects with the same error, and without an error listener nothing is thrown at the app', async () => {
    const consul = new MisbehavingConsul('status-500');
    const client = new Services({ address: await consul.address(), sighup: false });
    await assert.rejects(client.services('db'), (err: Error) => err instanceof ConsulAnswerError && /^Consul answered 500: /.test(err.message));
    client.watch('db');
    await consul.firstRequest();
    await sleep(600);
    client.close();
    await consul.close();
  });

  it('an agent that is not there is named with the reason', async () => {
    const consul = new MisbehavingConsul('status-500');
    const address = await consul.address();
    await consul.close();
    const client = new Services({ address, sighup: false });
    await assert.rejects(client.services('db'), { name: 'ConsulAnswerError', message: `Consul at http://${address} unreachable: ECONNREFUSED` });
  });
});
