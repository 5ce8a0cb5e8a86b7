// `npm run release -- --dry-run`: builds and checks every artefact of a release into release/
// (or --out DIR), publishing nothing:
//   bin/autopilot-linux-{x64,arm64}{,-musl} and bin/SHA256SUMS  the single-file binaries
//   npm/*.tgz                     autopilot-pattern and its four platform packages (contents checked)
//   oci/autopilot-<v>.oci.tar     the multi-arch OCI image (linux/amd64, linux/arm64)
// `npm run release -- --publish [--registry URL] [--image REF]` builds the same, then publishes
// the npm packages (platforms first, so the main package never names a missing one) and, with
// --image, pushes the image with skopeo. `--tag vX.Y.Z` (CI passes the pushed tag) must match
// package.json's version. Publishing to the default registry refuses a dirty tree: --version
// must name a real commit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { binaryName, collectBinaries } from './release/binaries.mjs';
import { buildNpmPackages } from './release/npm-packages.mjs';
import { publishPackages } from './release/publish.mjs';
import { buildOciImage, inspectWithSkopeo } from './release/oci-image.mjs';
import { gitCommit } from './lib/build-info.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

function fail(message, code = 1) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({ options: { 'dry-run': { type: 'boolean' }, publish: { type: 'boolean' }, registry: { type: 'string' }, image: { type: 'string' }, tag: { type: 'string' }, out: { type: 'string' } } }).values;
} catch (err) {
  fail(`${err.message} (usage: npm run release -- --dry-run | --publish [--registry URL] [--image REF] [--tag vX.Y.Z] [--out DIR])`, 2);
}
if (Boolean(args['dry-run']) === Boolean(args.publish)) fail('pass exactly one of --dry-run (build and check only) and --publish', 2);

const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
if (args.tag !== undefined && args.tag !== `v${version}`) fail(`tag ${args.tag} does not match package.json's version ${version} (expected v${version})`);
const out = resolve(args.out ?? join(repo, 'release'));
const commit = gitCommit(repo);
// To the public registry only from a commit (a local registry, as the e2e's, takes any build).
if (args.publish && !args.registry && (commit === 'unknown' || commit.endsWith('-dirty'))) fail(`refusing to publish from commit "${commit}": commit or stash the changes first`);

const started = Date.now();
const step = (what) => process.stdout.write(`\n== ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: repo, stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} failed (${r.error?.message ?? `exit status ${r.status}`})`);
}

step(`build ${version} (${commit})`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run('npm', ['run', '--silent', 'build']);
run(process.execPath, ['scripts/build-binary.mjs', '--all']);

step('binaries and SHA256SUMS');
const bins = await collectBinaries(join(repo, 'dist', 'bin'), out);
// Each binary that can run here prints the version and commit: this machine's CPU natively, the
// other glibc one under qemu-user when it is installed (Debian: qemu-user, libc6-arm64-cross).
// The musl ones are checked by their ELF header only (Debian has no musl libstdc++ to run them).
const QEMU = { arm64: ['qemu-aarch64', '/usr/aarch64-linux-gnu'], x64: ['qemu-x86_64', '/usr/x86_64-linux-gnu'] };
for (const b of bins.filter((x) => x.libc === 'glibc')) {
  const [cmd, argv] = b.cpu === process.arch ? [b.path, []] : [QEMU[b.cpu][0], ['-L', QEMU[b.cpu][1], b.path]];
  if (cmd !== b.path && (spawnSync(cmd, ['--version']).status !== 0 || !existsSync(QEMU[b.cpu][1]))) {
    process.stdout.write(`${binaryName(b.platform)}: not run (${cmd} or ${QEMU[b.cpu][1]} missing)\n`);
    continue;
  }
  const r = spawnSync(cmd, [...argv, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 || r.stdout !== `${version} (${commit})\n`) fail(`${binaryName(b.platform)} --version printed ${JSON.stringify(r.stdout + r.stderr)}, not version ${version} at ${commit}`);
  process.stdout.write(`${binaryName(b.platform)} --version${cmd === b.path ? '' : ` (${cmd})`}: ${r.stdout.trim()}\n`);
}
for (const b of bins) process.stdout.write(`${b.sha256}  ${relative(out, b.path)}\n`);

step('npm packages');
const packages = buildNpmPackages(repo, out, bins);
for (const p of packages) process.stdout.write(`${relative(out, p.file)}  ${(p.size / 1048576).toFixed(1)} MiB, ${p.entryCount} files\n`);

step('OCI image');
const source = 'https://github.com/autopilot-pattern/autopilot';
const epoch = Number(spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: repo, encoding: 'utf8' }).stdout.trim()) || 0;
const image = buildOciImage({ out, version, commit, epoch, bins, source });
process.stdout.write(`${relative(out, image.file)}  index ${image.index}, ${image.platforms.join(', ')}\n`);
const seen = inspectWithSkopeo(image.file, version);
process.stdout.write(seen ? seen.map((l) => `skopeo: ${l}\n`).join('') : 'skopeo: not installed, the archive was not read back\n');

if (args.publish) {
  step(`publish to ${args.registry ?? 'the configured npm registry'}`);
  try {
    publishPackages(packages, { registry: args.registry });
  } catch (err) {
    fail(err.message);
  }
  if (args.image) run('skopeo', ['copy', '--all', `oci-archive:${image.file}:${version}`, `docker://${args.image}:${version}`]);
}
step(`${args.publish ? 'published' : 'dry run: built and checked, nothing published'}; artefacts in ${out}`);
