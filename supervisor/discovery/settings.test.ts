import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSettings, resolveConsulSettings } from './settings.js';
import { ConsulRequestError, redact, toConsulError } from './errors.js';
import { ipEnvName, ipEnvironment } from './env.js';
import type { JobConfig } from '../config/model.js';

test('string config: host:port, optional scheme', () => {
  const s = resolveConsulSettings('consul:8500', {});
  assert.deepEqual([s.host, s.port, s.scheme, s.token], ['consul', 8500, 'http', undefined]);
  const t = resolveConsulSettings('https://consul.example:8443', {});
  assert.deepEqual([t.host, t.port, t.scheme], ['consul.example', 8443, 'https']);
  assert.equal(describeSettings(resolveConsulSettings('[::1]:8500', {})), 'http://[::1]:8500');
});

test('model config with token and TLS, overridden by the environment', () => {
  const cfg = {
    address: 'consul:8501',
    scheme: 'https' as const,
    token: 'cfg-token',
    tls: { cafile: '/cfg/ca.pem', clientcert: '/cfg/cert.pem', clientkey: '/cfg/key.pem', servername: 'cfg.name', verify: true },
  };
  const plain = resolveConsulSettings(cfg, {});
  assert.equal(plain.token, 'cfg-token');
  assert.deepEqual(plain.tls, { cafile: '/cfg/ca.pem', clientcert: '/cfg/cert.pem', clientkey: '/cfg/key.pem', servername: 'cfg.name', verify: true });
  const env = {
    CONSUL_HTTP_TOKEN: 'env-token',
    CONSUL_CACERT: '/env/ca.pem',
    CONSUL_CAPATH: '/env/cas',
    CONSUL_CLIENT_CERT: '/env/cert.pem',
    CONSUL_CLIENT_KEY: '/env/key.pem',
    CONSUL_TLS_SERVER_NAME: 'env.name',
    CONSUL_HTTP_SSL_VERIFY: 'false',
    CONSUL_HTTP_ADDR: 'elsewhere:1234',
  };
  const s = resolveConsulSettings(cfg, env);
  assert.equal(s.token, 'env-token');
  assert.deepEqual(s.tls, { cafile: '/env/ca.pem', capath: '/env/cas', clientcert: '/env/cert.pem', clientkey: '/env/key.pem', servername: 'env.name', verify: false });
  // The config's address wins over CONSUL_HTTP_ADDR (which is only a default).
  assert.deepEqual([s.host, s.port, s.scheme], ['consul', 8501, 'https']);
  // Empty variables do not override.
  assert.equal(resolveConsulSettings(cfg, { CONSUL_HTTP_TOKEN: '' }).token, 'cfg-token');
  assert.equal(resolveConsulSettings(cfg, { CONSUL_HTTP_SSL_VERIFY: '1' }).tls.verify, true);
});

test('CONSUL_HTTP_ADDR and CONSUL_HTTP_SSL apply when the config has no address', () => {
  const a = resolveConsulSettings({ address: '', scheme: 'http' }, { CONSUL_HTTP_ADDR: 'agent:9500', CONSUL_HTTP_SSL: 'true' });
  assert.deepEqual([a.host, a.port, a.scheme], ['agent', 9500, 'https']);
  const b = resolveConsulSettings(undefined, { CONSUL_HTTP_ADDR: 'https://agent2:8501' });
  assert.deepEqual([b.host, b.port, b.scheme], ['agent2', 8501, 'https']);
  const c = resolveConsulSettings(undefined, {});
  assert.deepEqual([c.host, c.port, c.scheme], ['127.0.0.1', 8500, 'http']);
});

test('the token never survives into error text', () => {
  const token = 's3cr3t-token-value';
  const raw = Object.assign(new Error(`consul: agent.check.pass: bad token ${token}`), {
    response: { statusCode: 403, body: `ACL not found for ${token}` },
  });
  const err = toConsulError('TTL passing service:x', raw, token);
  assert.ok(err instanceof ConsulRequestError);
  assert.equal(err.statusCode, 403);
  assert.ok(!err.message.includes(token), err.message);
  assert.ok(!err.body.includes(token));
  assert.match(err.message, /Consul answered 403: ACL not found for \[redacted\]/);
  assert.equal(redact(`a ${token} b ${token}`, token), 'a [redacted] b [redacted]');
  const refused = toConsulError('register x', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), token);
  assert.equal(refused.statusCode, 0);
  assert.match(refused.message, /ECONNREFUSED/);
});

test('CONTAINERPILOT_<JOB>_IP names and values', () => {
  assert.equal(ipEnvName('my-app'), 'CONTAINERPILOT_MY_APP_IP');
  assert.equal(ipEnvName('nginx'), 'CONTAINERPILOT_NGINX_IP');
  const job = (name: string, interfaces?: string[]) =>
    ({ name, service: interfaces ? { port: 80, interfaces, tags: [], enableTagOverride: false } : undefined }) as unknown as JobConfig;
  const env = ipEnvironment([job('web-app', ['static:10.1.2.3']), job('task'), job('db', ['eth0'])], { eth0: [{ address: '10.0.0.9' }] });
  assert.deepEqual(env, { CONTAINERPILOT_WEB_APP_IP: '10.1.2.3', CONTAINERPILOT_DB_IP: '10.0.0.9' });
});
