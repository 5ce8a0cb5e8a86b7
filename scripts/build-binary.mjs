// `npm run build:binary`: single-file executables of the built CLI (dist/) with `bun build
// --compile`, templates and version embedded, for linux x64 and arm64, glibc and musl:
//   dist/bin/autopilot-linux-{x64,arm64}{,-musl}
// This machine's CPU by default (the tests run those); `--all` builds the four (a release).
// Run `npm run build` first (the npm script does). `--target <name>` builds one only.
// `--no-bytecode-order` skips the recorded layout of the bytecode (recordOrder, below).
// `--node-bundle` (part of `npm run build`) instead writes the Node bundle that
// dist/cli/index.js runs: dist/cli/autopilot.cjs and its V8 code cache (cli/node-bundle.ts),
// and dist/build-info.json, the git commit of the build (scripts/lib/build-info.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { embeddedModuleSource } from './embed-templates.mjs';
import { writeBuildInfo } from './lib/build-info.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
const outDir = join(repoRoot, 'dist', 'bin');
const cliEntry = join(repoRoot, 'dist', 'cli', 'entry.js');

export const TARGETS = [
  { bunTarget: 'bun-linux-x64', file: 'autopilot-linux-x64', arch: 'x64' },
  { bunTarget: 'bun-linux-x64-musl', file: 'autopilot-linux-x64-musl', arch: 'x64' },
  { bunTarget: 'bun-linux-arm64', file: 'autopilot-linux-arm64', arch: 'arm64' },
  { bunTarget: 'bun-linux-arm64-musl', file: 'autopilot-linux-arm64-musl', arch: 'arm64' },
];

/** Work folders inside dist/: removed on failure too (a leftover would ship with the package). */
const workDirs = new Set();

function fail(message) {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`build-binary: ${message}\n`);
  process.exit(1);
}

if (!existsSync(cliEntry)) fail(`${cliEntry} is missing: run \`npm run build\` first`);
if (!existsSync(bun)) fail(`${bun} is missing: run \`npm ci\` (bun is a devDependency)`);
// The daemons' JIT policy, the one the binary starts with (cli/jit-policy.ts).
const { DAEMON_JIT_SCALE } = await import(pathToFileURL(join(repoRoot, 'dist', 'cli', 'jit-policy.js')).href);

/**
 * dist/cli/autopilot.cjs: entry.js and everything it imports as one CommonJS function
 * `(exports, require, module, __filename, __dirname, __distUrl)`, plus the V8 code cache of it
 * (warmed by one `autopilot run`: warmCodeCache).
 * koffi's addon stays outside (a native addon, loaded from node_modules when needed).
 */
function buildNodeBundle() {
  const cliDir = join(repoRoot, 'dist', 'cli');
  const work = mkdtempSync(join(cliDir, '.bundle-'));
  workDirs.add(work);
  try {
    const raw = join(work, 'raw.cjs');
    const run = spawnSync(bun, ['build', cliEntry, '--target=node', '--format=cjs', `--outfile=${raw}`, '--external', '@koromix/*'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) fail(`bun build of the Node bundle failed (${run.error?.message ?? `exit status ${run.status}`})`);
    // The bundler writes each module's import.meta.url as this machine's file URL: make them
    // relative to wherever dist/ is at run time (the loader passes dist/'s URL).
    const distUrl = pathToFileURL(join(repoRoot, 'dist')).href + '/';
    let body = readFileSync(raw, 'utf8').replace(/^#!.*\n/, '');
    body = body.split(JSON.stringify(distUrl).slice(0, -1)).join('__distUrl + "');
    if (body.includes(repoRoot)) fail(`the Node bundle still names ${repoRoot}: a path the bundler inlined`);
    // What stays a dynamic import (koffi's addon, by a computed name) goes through `require`: Node 20
    // loses a script's dynamic-import callback when the script comes from a code cache.
    body = body.replace(/\bawait import\((\w+)\)/g, 'await __import($1)');
    if (/\bimport\(/.test(body)) fail('the Node bundle has a dynamic import() that is not `await import(name)`');
    // V8 keeps the source of a script for lazy compilation, and one character above U+00FF makes
    // the whole string two bytes a character: 1.2 MiB more of heap in every supervisor. \uXXXX is
    // the same character in strings, templates, regular expressions and comments alike.
    if (/\\[^\x00-\x7f]/.test(body)) fail('the Node bundle has a backslash before a character above U+007F, which escaping it would change');
    body = body.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (body.includes('String.raw')) fail('the Node bundle uses String.raw, whose text an escaped character would change');
    const source = `(function (exports, require, module, __filename, __dirname, __distUrl) {const __import = async (name) => require(name);\n${body}\n})`;
    const file = join(cliDir, 'autopilot.cjs');
    writeFileSync(join(work, 'autopilot.cjs'), source);
    const cache = warmCodeCache(join(work, 'autopilot.cjs'), cliDir, work) ?? new Script(source, { filename: file }).createCachedData();
    writeFileSync(join(work, 'autopilot.cjs.cache'), cache);
    // The cache first: a bundle is only ever beside its own cache or an older one V8 rejects.
    renameSync(join(work, 'autopilot.cjs.cache'), `${file}.cache`);
    renameSync(join(work, 'autopilot.cjs'), file);
    process.stdout.write(`${file}: ${(source.length / 1048576).toFixed(1)} MiB, code cache ${(cache.length / 1024).toFixed(0)} KiB\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The code cache of the bundle after one `autopilot run` of a job that exits at once, made in a
 * child process: it then holds the functions the start-up path compiles, not only the top level,
 * so a start compiles next to nothing. Null (with a warning) when that run fails: the caller
 * falls back to the cache of the top level, slower to start but the same program.
 */
function warmCodeCache(bundle, cliDir, work) {
  const config = join(work, 'warm.json5');
  writeFileSync(config, JSON.stringify({ control: { socket: join(work, 'warm.sock') }, jobs: [{ name: 'warm', exec: ['true'], restarts: 'never' }] }));
  const out = join(work, 'warm.cache');
  const code = `
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { Script } = require('node:vm');
const [bundle, cliDir, distUrl, out] = process.argv.slice(1, 5);
const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle });
process.on('exit', () => writeFileSync(out, script.createCachedData()));
process.argv = [process.argv0, cliDir + '/index.js', ...process.argv.slice(5)];
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, cliDir, distUrl);
`;
  const distUrl = pathToFileURL(join(cliDir, '..')).href + '/';
  // AUTOPILOT_JIT=normal: the run keeps V8's default flags, so the cache's flag hash is the one
  // of every process that loads it (cli/jit-policy.ts changes flags only after loading).
  const env = { ...process.env, NO_COLOR: '1', AUTOPILOT_JIT: 'normal' };
  delete env.CONTAINERPILOT;
  const run = spawnSync(process.execPath, ['-e', code, bundle, cliDir, distUrl, out, 'run', '--config', config], { cwd: work, env, encoding: 'utf8', timeout: 30_000 });
  if (run.status === 0 && existsSync(out)) return readFileSync(out);
  process.stderr.write(`build-binary: warning: the start-up run for the code cache failed (${run.error?.message ?? `exit status ${run.status}`}): ${run.stderr.trim()}; caching the top level only\n`);
  return null;
}

if (process.argv.includes('--node-bundle')) {
  writeBuildInfo(repoRoot);
  buildNodeBundle();
  process.exit(0);
}

const only = process.argv.indexOf('--target');
// By default the two this machine runs (glibc and musl, the tests need both); `--all` for a release.
const hostTargets = TARGETS.filter((t) => t.arch === process.arch);
const targets = process.argv.includes('--all') ? TARGETS : only === -1 ? hostTargets : TARGETS.filter((t) => t.file === process.argv[only + 1] || t.bunTarget === process.argv[only + 1]);
if (targets.length === 0) fail(`unknown --target ${process.argv[only + 1]} (one of ${TARGETS.map((t) => t.file).join(', ')})`);

// The entry registers the embedded assets first, then runs the CLI (entry.js: what
// dist/cli/index.js runs under Node, without the Node bundle loader).
// A private folder per build, so two builds at once never remove each other's entry.
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(outDir, '.entry-'));
workDirs.add(work);
const entry = join(work, 'entry.js');
writeFileSync(join(work, 'embedded-assets.js'), embeddedModuleSource(repoRoot));
// The CLI by a dynamic import: split into chunks, its modules (base/version.ts reads the assets as
// it loads) would otherwise be evaluated before this entry's own body, where the assets land.
writeFileSync(entry, `import './embedded-assets.js';\nawait import('../../cli/entry.js');\n`);

/** `bun build --compile` of the entry for one target, to `outfile`; fails the build when bun does. */
function compile(bunTarget, outfile, extra) {
  const args = ['build', entry, '--compile', '--bytecode', '--minify', `--target=${bunTarget}`, `--outfile=${outfile}`,
    // ES modules split into chunks: a command loads the bytecode of what it imports, not the
    // whole program's (`run` never the generator's): measured, a start 0.7 ms sooner and 0.7 MiB
    // less RSS than one CommonJS bundle.
    '--format=esm', '--splitting',
    // A binary must not change behaviour with the directory it is started in.
    '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig',
    // Start-up code runs once: interpreted, it is not worth compiling (cli/jit-policy.ts; the
    // commands that are not daemons set the normal policy back).
    `--compile-jit-policy=${DAEMON_JIT_SCALE}`, ...extra];
  const run = spawnSync(bun, args, { cwd: repoRoot, stdio: 'inherit' });
  if (run.status !== 0) fail(`bun build for ${bunTarget} failed (${run.error?.message ?? `exit status ${run.status}`})`);
}

/**
 * The order in which a supervisor first runs its functions, recorded by a binary of this host
 * (BUN_BYTECODE_ORDER_OUT) running a small config for 2.5 s: start-up, a job advertised in
 * Consul with an exec health check, an interval job and the control socket. Built with it
 * (--bytecode-order), the bytecode a daemon runs sits together, so fewer pages of the executable
 * are faulted in: about 0.8 MiB less RSS per supervisor and a start about 2% faster
 * (docs/runtimes.md). The bytecode is the same on every target: one recording serves all.
 * Null, with a warning, when the recording fails: the binary is the same program, laid out as
 * the bundler chose.
 */
function recordOrder() {
  const host = TARGETS.find((t) => t.arch === process.arch && !t.file.endsWith('-musl'));
  if (!host) return null;
  const probe = join(work, `order-${host.file}`);
  compile(host.bunTarget, probe, []);
  const order = join(work, 'bytecode.order');
  const config = join(work, 'order.json5');
  // The socket in a short private folder: a unix socket's path has a length limit that a deep
  // checkout would pass.
  const sockets = mkdtempSync(join(tmpdir(), 'autopilot-order-'));
  // Consul on a closed loopback port: the client's code runs (registration, its retries) with
  // nothing outside this machine touched.
  writeFileSync(config, JSON.stringify({
    consul: '127.0.0.1:1',
    control: { socket: join(sockets, 'control.sock') },
    jobs: [
      { name: 'app', exec: ['sleep', '30'], port: 8080, interfaces: ['static:127.0.0.1'], health: { exec: ['true'], interval: 1, ttl: 5 } },
      { name: 'tick', exec: ['true'], when: { interval: '250ms' } },
    ],
  }));
  const env = { ...process.env, NO_COLOR: '1', BUN_BYTECODE_ORDER_OUT: order };
  delete env.CONTAINERPILOT;
  // The supervisor stops on SIGTERM, as in a container, and the order is written as it exits.
  const run = spawnSync(probe, ['run', '--config', config], { cwd: work, env, encoding: 'utf8', timeout: 2500, killSignal: 'SIGTERM' });
  rmSync(probe, { force: true });
  rmSync(sockets, { recursive: true, force: true });
  const functions = existsSync(order) ? readFileSync(order, 'utf8').split('\n').filter((l) => l.startsWith('F ')).length : 0;
  if (functions > 0) {
    process.stdout.write(`bytecode order: ${functions} functions, recorded by a run of ${host.file}\n`);
    return order;
  }
  process.stderr.write(`build-binary: warning: recording the bytecode order failed (${run.error?.code === 'ETIMEDOUT' ? 'no order written' : run.error?.message ?? `exit status ${run.status}`}): ${run.stderr.trim()}; building without it\n`);
  return null;
}

const order = process.argv.includes('--no-bytecode-order') ? null : recordOrder();
for (const { bunTarget, file } of targets) {
  // Built beside its final name, then renamed: the binary is never missing or half-written.
  const outfile = join(work, file);
  compile(bunTarget, outfile, order ? [`--bytecode-order=${order}`] : []);
  const final = join(outDir, file);
  renameSync(outfile, final);
  process.stdout.write(`${final}: ${(statSync(final).size / 1048576).toFixed(1)} MiB\n`);
}
rmSync(work, { recursive: true, force: true });
