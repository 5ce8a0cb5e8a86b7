/**
 * The single-file binaries are self-contained: the glibc one, copied away and run with the
 * repository hidden (a tmpfs over it in a private mount namespace), still prints the right
 * version and commit and scaffolds the same tree as Node from the repository. The musl one (not
 * runnable on this glibc host) asks for musl's loader and carries the same embedded templates.
 * `run` with the repository hidden still has every part: control socket, telemetry, Consul
 * registration.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, it } from 'node:test';
import { bareVersionText, versionText } from './build-version.js';
import { repoRoot } from './paths.js';
import { consulGet, startConsulAgent, type HealthServiceEntry } from './consul-agent.js';
import { binaryPath, cliRuntime, muslBinaryPath, type CliRuntime } from './runtimes.js';
import { freePort, runCli, supervise } from './runtimes-process.js';
import { sleep } from './supervisor.js';

function readTree(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(root, path, out);
    else out[relative(root, path)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`;
  }
  return out;
}

/** The PT_INTERP path of a 64-bit little-endian ELF file. */
function elfInterpreter(file: Buffer): string | null {
  assert.equal(file.subarray(0, 4).toString('latin1'), '\x7fELF');
  const phoff = Number(file.readBigUInt64LE(0x20));
  const phentsize = file.readUInt16LE(0x36);
  const phnum = file.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (file.readUInt32LE(ph) !== 3) continue; // PT_INTERP
    const offset = Number(file.readBigUInt64LE(ph + 8));
    const size = Number(file.readBigUInt64LE(ph + 32));
    return file.subarray(offset, offset + size).toString('latin1').replace(/\0+$/, '');
  }
  return null;
}

let work: string;
let copy: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'autopilot-binary-'));
  copy = join(work, 'autopilot');
  copyFileSync(cliRuntime('binary').argv[0]!, copy);
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The copied binary, run in a private mount namespace where a tmpfs hides the repository. */
function hiddenRepoRuntime(): CliRuntime {
  const script = `mount -t tmpfs none '${repoRoot}' && test ! -e '${repoRoot}/templates' && exec '${copy}' "$@"`;
  return { name: 'binary', argv: ['unshare', '--mount', 'sh', '-c', script, 'autopilot'] };
}

it('the binary, away from the repository, prints the version and commit and scaffolds the same tree as node', async () => {
  mkdirSync(join(work, 'bin'));
  mkdirSync(join(work, 'node'));
  const v = await runCli(hiddenRepoRuntime(), ['--version']);
  assert.deepEqual([v.code, v.stdout, v.stderr], [0, bareVersionText, ''], 'the version and commit embedded at build time');
  const cp = await runCli(hiddenRepoRuntime(), ['-version']);
  assert.deepEqual([cp.code, cp.stdout, cp.stderr], [0, versionText, ''], 'ContainerPilot\'s -version: the same, in its layout');

  const made = await runCli(hiddenRepoRuntime(), ['new', 'todo-api', 'my-app', '--yes'], { cwd: join(work, 'bin') });
  assert.equal(made.code, 0, made.stderr);
  const reference = await runCli(cliRuntime('node'), ['new', 'todo-api', 'my-app', '--yes'], { cwd: join(work, 'node') });
  assert.equal(reference.code, 0, reference.stderr);
  assert.equal(made.stdout, reference.stdout);
  assert.deepEqual(readTree(join(work, 'bin', 'my-app')), readTree(join(work, 'node', 'my-app')));
});

it('the glibc binary asks for glibc\'s loader, the musl one for musl\'s, both carry the templates', () => {
  const template = readFileSync(join(repoRoot, 'templates', 'node-service', 'containerpilot.json5.ejs'));
  for (const [path, loader] of [[binaryPath, '/lib64/ld-linux-x86-64.so.2'], [muslBinaryPath, '/lib/ld-musl-x86_64.so.1']] as const) {
    const file = readFileSync(path);
    assert.equal(elfInterpreter(file), loader, path);
    assert.ok(file.includes(template), `${path} embeds templates/node-service/containerpilot.json5.ejs`);
  }
});

it('the binary, away from the repository, runs every part: control socket, telemetry, Consul', async (t) => {
  const agent = await startConsulAgent();
  const dir = join(work, 'run');
  mkdirSync(dir);
  const config = join(dir, 'cp.json5');
  writeFileSync(config, `{
  consul: "${agent.address}",
  control: { socket: "${dir}/cp.sock" },
  telemetry: { port: ${await freePort()}, interfaces: ["static:127.0.0.1"] },
  jobs: [ { name: "hidden-web", exec: ["sleep", "60"], port: 9000, interfaces: ["static:127.0.0.1"], health: { exec: ["true"], interval: 1, ttl: 10 } } ],
}
`);
  const cp = supervise(hiddenRepoRuntime(), ['run', '--config', config], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    await agent.stop();
  });
  let passing: HealthServiceEntry[] = [];
  for (let i = 0; i < 200 && passing.length === 0 && cp.child.exitCode === null; i++) {
    await sleep(100);
    passing = await consulGet<HealthServiceEntry[]>(agent, '/v1/health/service/hidden-web?passing=true').catch(() => []);
  }
  assert.equal(passing[0]?.Service.ID, `hidden-web-${hostname()}`, cp.output);
  const ping = await runCli(hiddenRepoRuntime(), ['-ping', '--socket', join(dir, 'cp.sock')]);
  assert.deepEqual([ping.code, ping.stdout], [0, 'ok\n'], ping.stderr);
  let telemetry: HealthServiceEntry[] = [];
  for (let i = 0; i < 200 && telemetry.length === 0; i++) {
    telemetry = await consulGet<HealthServiceEntry[]>(agent, '/v1/health/service/containerpilot').catch(() => []);
    if (telemetry.length === 0) await sleep(100);
  }
  assert.equal(telemetry[0]?.Service.ID, `containerpilot-${hostname()}`, `telemetry registered as service containerpilot; output:\n${cp.output}`);
  cp.signal('SIGTERM');
  assert.deepEqual(await cp.waitExit(30_000), { code: 0, signal: null }, cp.output);
});
