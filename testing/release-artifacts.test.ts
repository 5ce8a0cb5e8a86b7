/**
 * The release's npm packages and OCI image, built by the release's own code from small stand-in
 * binaries (the real ones are about 100 MB each; `npm run release -- --dry-run` in .ci/run builds
 * those). The packages are read back with tar, the image with skopeo, a reader we did not write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../generators/helpers.test.js';
import { repoRoot } from './paths.js';

type Bin = { platform: string; cpu: string; libc: string; path: string; sha256: string };
type Pack = { name: string; file: string };
const load = (name: string) => import(pathToFileURL(join(repoRoot, 'scripts', 'release', name)).href);
const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Four small files standing in for the binaries, and the SHA256SUMS the release writes. */
function standIns(out: string): Bin[] {
  const dir = join(out, 'bin');
  mkdirSync(dir, { recursive: true });
  const bins = [['linux-x64', 'x64', 'glibc'], ['linux-arm64', 'arm64', 'glibc'], ['linux-x64-musl', 'x64', 'musl'], ['linux-arm64-musl', 'arm64', 'musl']].map(([platform, cpu, libc]) => {
    const path = join(dir, `autopilot-${platform}`);
    const body = `#!/bin/sh\necho ${platform}\n`;
    writeFileSync(path, body, { mode: 0o755 });
    return { platform: platform!, cpu: cpu!, libc: libc!, path, sha256: createHash('sha256').update(body).digest('hex') };
  });
  writeFileSync(join(dir, 'SHA256SUMS'), bins.map((b) => `${b.sha256}  autopilot-${b.platform}\n`).join(''));
  return bins;
}

const tarText = (file: string, member: string) => spawnSync('tar', ['-xzOf', file, member], { encoding: 'utf8' }).stdout;

test('release: six npm packages; the platform ones hold their executable binary, the main one names all four at its version', async (t: TestContext) => {
  const out = tempDir(t, 'autopilot-release-');
  const bins = standIns(out);
  const { buildNpmPackages } = await load('npm-packages.mjs');
  const packages = buildNpmPackages(repoRoot, out, bins) as Pack[];
  assert.deepEqual(packages.map((p) => p.name).sort(), ['autopilot-pattern', 'autopilot-pattern-client', 'autopilot-pattern-linux-arm64', 'autopilot-pattern-linux-arm64-musl', 'autopilot-pattern-linux-x64', 'autopilot-pattern-linux-x64-musl']);
  for (const b of bins) {
    const file = packages.find((p) => p.name === `autopilot-pattern-${b.platform}`)!.file;
    const manifest = JSON.parse(tarText(file, 'package/package.json')) as Record<string, unknown>;
    assert.deepEqual([manifest['version'], manifest['os'], manifest['cpu'], manifest['libc']], [VERSION, ['linux'], [b.cpu], [b.libc]], b.platform);
    assert.equal(tarText(file, 'package/bin/autopilot'), `#!/bin/sh\necho ${b.platform}\n`);
    const listing = spawnSync('tar', ['-tvzf', file, 'package/bin/autopilot'], { encoding: 'utf8' }).stdout;
    assert.match(listing, /^-rwxr-xr-x /, `${b.platform}: bin/autopilot is executable`);
    assert.match(tarText(file, 'package/SHA256SUMS'), new RegExp(`^${b.sha256}  autopilot-${b.platform}$`, 'm'));
  }
  const main = packages.find((p) => p.name === 'autopilot-pattern')!.file;
  const manifest = JSON.parse(tarText(main, 'package/package.json')) as { optionalDependencies: Record<string, string>; bin: Record<string, string>; scripts?: unknown; devDependencies?: unknown };
  const ownOptional = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> }).optionalDependencies;
  assert.ok(Object.keys(ownOptional).some((name) => name.startsWith('@koromix/koffi-linux-')), 'the reaper\'s FFI addon is an optional dependency');
  assert.deepEqual(manifest.optionalDependencies, { ...ownOptional, ...Object.fromEntries(bins.map((b) => [`autopilot-pattern-${b.platform}`, VERSION])) });
  assert.deepEqual(manifest.bin, { autopilot: 'dist/cli/bin.cjs' });
  assert.equal(manifest.scripts, undefined, 'no scripts run on install');
  assert.equal(manifest.devDependencies, undefined);
  assert.equal(tarText(main, 'package/SHA256SUMS').trim().split('\n').length, 4);
});

test('release: the OCI image has linux/amd64 and linux/arm64, skopeo reads both, and building it twice gives the same digest', async (t: TestContext) => {
  const { buildOciImage, inspectWithSkopeo } = await load('oci-image.mjs');
  const build = () => {
    const out = tempDir(t, 'autopilot-oci-');
    return buildOciImage({ out, version: '9.9.9', commit: 'abc1234', epoch: 1764700000, bins: standIns(out), source: 'https://example.com/autopilot' }) as { file: string; index: string; platforms: string[] };
  };
  const a = build();
  const b = build();
  assert.deepEqual(a.platforms, ['linux/amd64', 'linux/arm64']);
  assert.equal(a.index, b.index, 'reproducible');
  const seen = inspectWithSkopeo(a.file, '9.9.9') as string[] | undefined;
  assert.ok(seen, 'skopeo is installed (npm test installs it)');
  assert.deepEqual(seen.map((l) => l.split(':')[0]), ['linux/amd64', 'linux/arm64']);
  const copy = tempDir(t, 'autopilot-oci-copy-');
  const r = spawnSync('skopeo', ['copy', '--override-arch', 'arm64', '--override-os', 'linux', `oci-archive:${a.file}:9.9.9`, `dir:${copy}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { layers: Array<{ digest: string }> };
  const layer = join(copy, manifest.layers[0]!.digest.replace('sha256:', ''));
  assert.equal(spawnSync('tar', ['-xzOf', layer, './usr/local/bin/autopilot'], { encoding: 'utf8' }).stdout, '#!/bin/sh\necho linux-arm64\n');
  assert.equal(spawnSync('tar', ['-xzOf', layer, './usr/local/bin/autopilot-musl'], { encoding: 'utf8' }).stdout, '#!/bin/sh\necho linux-arm64-musl\n');
});

test('release: the client package has no dependencies, carries its types, and an app imports it by name', async (t: TestContext) => {
  const out = tempDir(t, 'autopilot-release-');
  const { buildNpmPackages } = await load('npm-packages.mjs');
  const packages = buildNpmPackages(repoRoot, out, standIns(out)) as Pack[];
  const file = packages.find((p) => p.name === 'autopilot-pattern-client')!.file;
  const manifest = JSON.parse(tarText(file, 'package/package.json')) as Record<string, unknown>;
  assert.deepEqual([manifest['version'], manifest['dependencies'], manifest['scripts'], manifest['type']], [VERSION, undefined, undefined, 'module']);
  assert.match(tarText(file, 'package/index.d.ts'), /export declare function watch\(name: string/);
  // The CLI pins this very tarball in the apps it generates.
  const sri = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
  assert.equal(tarText(packages.find((p) => p.name === 'autopilot-pattern')!.file, 'package/CLIENT-INTEGRITY'), `${sri}\n`);
  const app = join(out, 'app');
  mkdirSync(join(app, 'node_modules', 'autopilot-pattern-client'), { recursive: true });
  assert.equal(spawnSync('tar', ['-xzf', file, '-C', join(app, 'node_modules', 'autopilot-pattern-client'), '--strip-components=1']).status, 0);
  writeFileSync(join(app, 'app.mjs'), "import { Services, service, watch } from 'autopilot-pattern-client';\nconsole.log(typeof service, typeof watch);\nawait new Services({ address: '127.0.0.1:4' }).services('db').catch((err) => console.log(err.name, err.message));\n");
  const run = spawnSync(process.execPath, ['app.mjs'], { cwd: app, encoding: 'utf8' });
  assert.equal(run.stdout, 'function function\nConsulAnswerError Consul at http://127.0.0.1:4 unreachable: ECONNREFUSED\n', run.stderr);
});
