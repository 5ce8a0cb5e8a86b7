/**
 * The generated install stage, run for real: its shell script, with the real npm, against a small
 * npm registry on loopback that serves one platform package. It installs the pinned version and
 * refuses a binary whose SHA-256 is not the one written into the Dockerfile.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from './helpers.test.js';
import { supervisorLines, type SupervisorSource } from './supervisor-source.js';

const VERSION = '3.1.4';
const BINARY = '#!/bin/sh\necho "Version: 3.1.4"\n';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** `npm pack` of a platform package whose bin/autopilot is a script printing its version. */
function packPlatformPackage(dir: string, name: string): Buffer {
  const src = join(dir, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'package.json'), JSON.stringify({ name, version: VERSION, os: ['linux'] }));
  writeFileSync(join(src, 'bin', 'autopilot'), BINARY, { mode: 0o755 });
  const run = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: src, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return readFileSync(join(dir, run.stdout.trim()));
}

/** A registry that knows one package at one version (its packument and its tarball). */
async function startRegistry(t: TestContext, name: string, tarball: Buffer): Promise<string> {
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = `${name}-${VERSION}.tgz`;
    if (req.url === `/${name}`) {
      const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
      const packument = { name, 'dist-tags': { latest: VERSION }, versions: { [VERSION]: { name, version: VERSION, dist: { tarball: `${base}/${name}/-/${file}`, integrity } } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    } else if (req.url === `/${name}/-/${file}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** The stage's RUN script, as the image build's /bin/sh runs it. */
function runScript(stage: string): string {
  const m = /^RUN (.*?)(?<!\\)$/ms.exec(stage);
  assert.ok(m, 'the stage has a RUN instruction');
  return m[1]!.replace(/\\\n/g, '\n');
}

/** Runs the stage's script in a fresh folder (asynchronously: the registry answers from this process). */
async function runStage(t: TestContext, supervisor: SupervisorSource, registry: string, targetArch: string) {
  const work = tempDir(t, 'autopilot-stage-');
  const env = { PATH: process.env['PATH'], HOME: work, NPM_CONFIG_REGISTRY: registry, npm_config_cache: join(work, '.npm'), TARGETARCH: targetArch, npm_config_update_notifier: 'false' };
  const child = spawn('/bin/sh', ['-c', runScript(supervisorLines(supervisor, 'glibc').stage)], { cwd: work, env, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr, work };
}

test('install stage: installs the pinned version for the target CPU and checks its SHA-256', async (t) => {
  const dir = tempDir(t);
  const tarball = packPlatformPackage(dir, 'autopilot-pattern-linux-arm64');
  const registry = await startRegistry(t, 'autopilot-pattern-linux-arm64', tarball);
  const supervisor = { version: VERSION, sha256: { 'linux-x64': 'f'.repeat(64), 'linux-arm64': sha256(BINARY) }, vendor: false };
  const run = await runStage(t, supervisor, registry, 'arm64');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /package\/bin\/autopilot: OK/);
  assert.match(run.stdout, /Version: 3\.1\.4/, 'the stage runs the binary it installed');
  assert.equal(readFileSync(join(run.work, 'package', 'bin', 'autopilot'), 'utf8'), BINARY);
});

test('install stage: a binary whose SHA-256 differs from the pinned one fails the build', async (t) => {
  const dir = tempDir(t);
  const tarball = packPlatformPackage(dir, 'autopilot-pattern-linux-x64');
  const registry = await startRegistry(t, 'autopilot-pattern-linux-x64', tarball);
  const supervisor = { version: VERSION, sha256: { 'linux-x64': sha256('another binary'), 'linux-arm64': 'e'.repeat(64) }, vendor: false };
  const run = await runStage(t, supervisor, registry, 'amd64');
  assert.notEqual(run.status, 0);
  assert.match(run.stdout + run.stderr, /FAILED/);
  assert.doesNotMatch(run.stdout, /Version: 3\.1\.4/, 'the unchecked binary never runs');
});

test('install stage: a CPU without a binary fails with a one-line reason', async (t) => {
  const run = await runStage(t, { version: VERSION, sha256: {}, vendor: false }, 'http://127.0.0.1:9/', 's390x');
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim(), 'autopilot: no binary for CPU s390x (linux x64 and arm64 only)');
});
