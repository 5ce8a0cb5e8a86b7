import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bareVersionText } from '../testing/build-version.js';
import { devBin } from '../testing/runtimes.js';
import { repoRoot } from '../testing/paths.js';

const builtCli = join(repoRoot, 'dist', 'cli');

function run(argv: string[], cwd: string) {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Sets `file`'s mtime `seconds` from now. */
const age = (file: string, seconds: number) => {
  const t = new Date(Date.now() + seconds * 1000);
  utimesSync(file, t, t);
};

// bin.cjs is the command as installed (package.json `bin`); index.js the same as an ES module.
for (const entry of ['bin.cjs', 'index.js']) describe(`dist/cli/${entry} chooses between the Node bundle and the modules`, () => {
  let dir: string;
  let cli: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'autopilot-node-bundle-'));
    cli = join(dir, 'dist', 'cli');
    mkdirSync(cli, { recursive: true });
    for (const f of ['index.js', 'bin.cjs', 'node-bundle.cjs']) copyFileSync(join(builtCli, f), join(cli, f));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    // Stand-ins that say which one ran.
    writeFileSync(join(cli, 'entry.js'), "process.stdout.write('modules\\n');\n");
    writeFileSync(
      join(cli, 'autopilot.cjs'),
      "(function (exports, require, module, __filename, __dirname, __distUrl) { process.stdout.write('bundle ' + __distUrl + ' ' + typeof require('node:path').join + '\\n'); })",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a bundle newer than entry.js runs, with dist/ as it is found at run time', () => {
    age(join(cli, 'entry.js'), -60);
    age(join(cli, 'autopilot.cjs'), 0);
    const r = run([process.execPath, join(cli, entry)], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `bundle ${pathToFileURL(join(dir, 'dist')).href}/ function\n`);
  });

  test('a bundle as old as entry.js runs (npm pack gives every file the same time)', () => {
    age(join(cli, 'entry.js'), -60);
    age(join(cli, 'autopilot.cjs'), -60);
    assert.match(run([process.execPath, join(cli, entry)], dir).stdout, /^bundle /);
  });

  test('an unreadable code cache only costs time: the bundle still runs', () => {
    writeFileSync(join(cli, 'autopilot.cjs.cache'), 'not a V8 code cache');
    try {
      age(join(cli, 'autopilot.cjs'), 0);
      age(join(cli, 'entry.js'), -60);
      assert.match(run([process.execPath, join(cli, entry)], dir).stdout, /^bundle /);
    } finally {
      rmSync(join(cli, 'autopilot.cjs.cache'));
    }
  });

  test('a bundle older than entry.js (tsc ran after it) is not used', () => {
    age(join(cli, 'autopilot.cjs'), -60);
    age(join(cli, 'entry.js'), 0);
    assert.equal(run([process.execPath, join(cli, entry)], dir).stdout, 'modules\n');
  });

  test('without a bundle the modules run', () => {
    const moved = join(dir, 'bundle.cjs');
    cpSync(join(cli, 'autopilot.cjs'), moved);
    rmSync(join(cli, 'autopilot.cjs'));
    try {
      assert.equal(run([process.execPath, join(cli, entry)], dir).stdout, 'modules\n');
    } finally {
      cpSync(moved, join(cli, 'autopilot.cjs'));
    }
  });

  test('Bun and Deno load the modules', () => {
    age(join(cli, 'entry.js'), -60);
    age(join(cli, 'autopilot.cjs'), 0);
    assert.equal(run([devBin('bun'), join(cli, entry)], dir).stdout, 'modules\n');
    assert.equal(run([devBin('deno'), 'run', '-A', join(cli, entry)], dir).stdout, 'modules\n');
  });
});

describe('the built Node bundle', () => {
  let dir: string;
  before(() => {
    const bundle = join(builtCli, 'autopilot.cjs');
    assert.ok(existsSync(bundle) && existsSync(`${bundle}.cache`), `${bundle} and its .cache are missing: run \`npm run build\``);
    // A copy of the package elsewhere: the bundle must find package.json and templates/ there.
    dir = mkdtempSync(join(tmpdir(), 'autopilot-node-bundle-pkg-'));
    const cli = join(dir, 'dist', 'cli');
    mkdirSync(cli, { recursive: true });
    for (const f of ['bin.cjs', 'node-bundle.cjs', 'entry.js', 'autopilot.cjs', 'autopilot.cjs.cache']) copyFileSync(join(builtCli, f), join(cli, f));
    copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(repoRoot, 'dist', 'build-info.json'), join(dir, 'dist', 'build-info.json'));
    cpSync(join(repoRoot, 'templates'), join(dir, 'templates'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    age(join(cli, 'entry.js'), -60);
    age(join(cli, 'autopilot.cjs'), 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('runs from another folder with none of the other dist/ modules: version and commit, new, validate errors', () => {
    const cli = join(dir, 'dist', 'cli', 'bin.cjs');
    const version = run([process.execPath, cli, '--version'], dir);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, bareVersionText, 'package.json and dist/build-info.json, found from the bundle');
    const out = join(dir, 'app');
    const created = run([process.execPath, cli, 'new', 'hello-world', out, '--yes'], dir);
    assert.equal(created.code, 0, created.stderr);
    assert.ok(existsSync(join(out, 'docker-compose.yml')), created.stdout);
    const bad = join(dir, 'bad.json5');
    writeFileSync(bad, '{ jobs: [ { name: "x", exec: 1 } ] }\n');
    const invalid = run([process.execPath, cli, 'validate', bad], dir);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /bad\.json5/);
    assert.doesNotMatch(invalid.stderr, /\n\s+at /);
  });

  test('its code cache is one a plain node accepts (made with V8 default flags)', () => {
    // The warm-up run of the build keeps the default flags (AUTOPILOT_JIT=normal): a cache made
    // after the supervisor changed them would be rejected at every start.
    const bundle = join(builtCli, 'autopilot.cjs');
    const check = `const { Script } = require('node:vm'); const fs = require('node:fs');
const s = new Script(fs.readFileSync(process.argv[1], 'utf8'), { filename: process.argv[1], cachedData: fs.readFileSync(process.argv[1] + '.cache') });
process.stdout.write(String(s.cachedDataRejected));`;
    const r = run([process.execPath, '-e', check, bundle], dir);
    assert.equal(r.stdout, 'false', r.stderr);
  });

  test('is ASCII, so V8 holds its source at one byte a character, and its other characters still work', () => {
    const source = readFileSync(join(builtCli, 'autopilot.cjs'), 'utf8');
    assert.equal(/[^\x00-\x7f]/.exec(source)?.[0], undefined);
    const cli = join(dir, 'dist', 'cli', 'bin.cjs');
    // "µs" is a unit of the duration parser: a character the bundle writes as an escape.
    const micro = join(dir, 'micro.json5');
    writeFileSync(micro, '{ jobs: [ { name: "tick", exec: "true", when: { interval: "1500000µs" } }, { name: "fast", exec: "true", when: { interval: "5µs" } } ] }\n');
    const r = run([process.execPath, cli, 'validate', micro], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /jobs\[1\] \("fast"\)\.when\.interval: "5µs" cannot be less than 1ms/);
  });
});
