// HTTPS settings (config and CONSUL_* variables) against a real Consul agent that serves HTTPS
// only and requires client certificates. Certificates come from openssl, made per run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConsulBinary } from '../../testing/consul-agent.js';
import { freeConsulPorts } from '../../testing/consul-agent-ports.js';
import { Discovery } from './discovery.js';
import type { Logger } from './log.js';
import { resolveConsulSettings } from './settings.js';

let dir: string;
let agent: ChildProcess | undefined;
let address: string;
const files = { ca: '', cert: '', key: '', clientCert: '', clientKey: '', caDir: '' };
const lines: string[] = [];
const log: Logger = { debug: () => {}, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };

function openssl(...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
}

function makeCerts(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:server.dc1.consul\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', `${who}.key`, '-out', `${who}.csr`);
    openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${who}.ext`, '-out', `${who}.pem`);
  }
  files.ca = join(dir, 'ca.pem');
  files.cert = join(dir, 'server.pem');
  files.key = join(dir, 'server.key');
  files.clientCert = join(dir, 'client.pem');
  files.clientKey = join(dir, 'client.key');
  files.caDir = join(dir, 'cas');
  mkdirSync(files.caDir);
  copyFileSync(files.ca, join(files.caDir, 'test-ca.pem'));
}

function withTls(env: Record<string, string>, consul: Parameters<typeof resolveConsulSettings>[0] = `https://${address}`): Discovery {
  return new Discovery({ consul, env, log, hostname: 'tlshost', requestTimeoutMs: 3000 });
}

const fullEnv = () => ({ CONSUL_CACERT: files.ca, CONSUL_CLIENT_CERT: files.clientCert, CONSUL_CLIENT_KEY: files.clientKey });

async function registeredIds(d: Discovery): Promise<string[]> {
  return Object.keys(await d.client.agentServices());
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autopilot-consul-tls-'));
  makeCerts();
  const ports = await freeConsulPorts();
  address = `127.0.0.1:${ports.http}`;
  const tlsHcl = `tls { https { ca_file = "${files.ca}" cert_file = "${files.cert}" key_file = "${files.key}" verify_incoming = true } }`;
  agent = spawn(
    findConsulBinary(),
    [
      'agent', '-server', '-bootstrap', '-data-dir', join(dir, 'data'), '-node', 'tls-node',
      '-bind', '127.0.0.1', '-advertise', '127.0.0.1', '-client', '127.0.0.1',
      '-http-port', '-1', '-https-port', String(ports.http), '-serf-lan-port', String(ports.serfLan),
      '-server-port', String(ports.server), '-serf-wan-port', '-1', '-dns-port', '-1', '-grpc-port', '-1',
      '-grpc-tls-port', '-1', '-hcl', 'disable_update_check = true', '-hcl', tlsHcl,
    ],
    { stdio: 'ignore' },
  );
  // Ready once a leader is elected (agent endpoints stall until then).
  for (let i = 0; ; i++) {
    const leader = await leaderOf().catch((err: Error) => err);
    if (typeof leader === 'string' && leader.length > 2) break;
    if (i >= 300 || agent.exitCode !== null) throw new Error(`HTTPS agent not ready: ${String(leader)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

function leaderOf(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(
      `https://${address}/v1/status/leader`,
      { ca: readFileSync(files.ca), cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey), timeout: 1000 },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

after(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent?.once('exit', r));
    agent.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('CONSUL_CACERT, CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY reach an HTTPS agent', async () => {
  const d = withTls(fullEnv());
  const svc = d.addService('secure', { port: 443, interfaces: ['static:10.9.0.1'], tags: [], ttlMs: 10_000, enableTagOverride: false });
  await svc.pass('tls ok');
  assert.ok((await registeredIds(d)).includes('secure-tlshost'));
  await d.close();
});

test('the config tls block works alike; CONSUL_CAPATH loads a directory of CAs', async () => {
  const cfg = { address, scheme: 'https' as const, tls: { cafile: files.ca, clientcert: files.clientCert, clientkey: files.clientKey, servername: 'localhost', verify: true } };
  const d = withTls({}, cfg);
  assert.equal(await d.addService('cfgtls', { port: 1, interfaces: ['static:10.9.0.2'], tags: [], ttlMs: 10_000, enableTagOverride: false }).register(), true);
  await d.close();
  const e = withTls({ CONSUL_CAPATH: files.caDir, CONSUL_CLIENT_CERT: files.clientCert, CONSUL_CLIENT_KEY: files.clientKey });
  assert.equal(await e.addService('capath', { port: 1, interfaces: ['static:10.9.0.3'], tags: [], ttlMs: 10_000, enableTagOverride: false }).register(), true);
  await e.close();
});

test('an unknown server certificate fails without throwing, unless CONSUL_HTTP_SSL_VERIFY=false', async () => {
  const noCa = withTls({ CONSUL_CLIENT_CERT: files.clientCert, CONSUL_CLIENT_KEY: files.clientKey });
  const before = lines.length;
  assert.equal(await noCa.addService('noca', { port: 1, interfaces: ['static:10.9.0.4'], tags: [], ttlMs: 10_000, enableTagOverride: false }).register(), false);
  assert.match(lines.slice(before).join('\n'), /certificate/i);
  await noCa.close();

  const noVerify = withTls({ CONSUL_CLIENT_CERT: files.clientCert, CONSUL_CLIENT_KEY: files.clientKey, CONSUL_HTTP_SSL_VERIFY: 'false' });
  assert.equal(await noVerify.addService('noverify', { port: 1, interfaces: ['static:10.9.0.5'], tags: [], ttlMs: 10_000, enableTagOverride: false }).register(), true);
  await noVerify.close();
});

test('without a client certificate the agent refuses; the failure is logged, not thrown', async () => {
  const d = withTls({ CONSUL_CACERT: files.ca });
  const before = lines.length;
  const svc = d.addService('nocert', { port: 1, interfaces: ['static:10.9.0.6'], tags: [], ttlMs: 10_000, enableTagOverride: false });
  assert.equal(await svc.register(), false);
  await svc.pass();
  assert.ok(lines.length > before, 'the failure is logged');
  await d.close();
});
