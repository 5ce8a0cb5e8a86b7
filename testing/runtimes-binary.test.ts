/**
 * The single-file binaries are self-contained: the glibc one, copied away and run with the
 * repository hidden (a tmpfs over it in a private mount namespace), still prints the right
 * version and scaffolds the same tree as Node from the repository. The musl one (not runnable on
 * this glibc host) asks for musl's loader and carries the same embedded templates.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, it } from 'node:test';
import { repoRoot } from './paths.js';
import { binaryPath, cliRuntime, muslBinaryPath } from './runtimes.js';
import { runCli } from './runtimes-process.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

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
before(() => {
  work = mkdtempSync(join(tmpdir(), 'autopilot-binary-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

it('the binary, away from the repository, prints the version and scaffolds the same tree as node', async () => {
  const copy = join(work, 'autopilot');
  copyFileSync(cliRuntime('binary').argv[0]!, copy);
  mkdirSync(join(work, 'bin'));
  mkdirSync(join(work, 'node'));
  const hidden = (args: string): string[] =>
    ['unshare', '--mount', 'sh', '-c', `mount -t tmpfs none '${repoRoot}' && test ! -e '${repoRoot}/templates' && cd '${work}/bin' && exec '${copy}' ${args}`];
  const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });

  const v = run(hidden('--version'));
  assert.equal(v.stderr, '');
  assert.equal(v.stdout, `Version: ${version}\n`);

  const made = run(hidden('new todo-api my-app --yes'));
  assert.equal(made.status, 0, made.stderr);
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
