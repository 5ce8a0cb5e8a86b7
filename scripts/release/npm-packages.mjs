// The npm packages of a release, staged and packed with `npm pack`: one per platform holding the
// binary (as esbuild ships its binaries), autopilot-pattern itself with the four as
// optionalDependencies at the exact version, and the app-side client (client-package.mjs). Each
// packed tarball's file list is checked: nothing of the tests, fixtures or source maps, and
// everything the package needs to run.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryName } from './binaries.mjs';
import { REQUIRED_CLIENT, stageClient } from './client-package.mjs';

export const MAIN = 'autopilot-pattern';
export const platformPackage = (platform) => `${MAIN}-${platform}`;

/** What no published package may hold. */
const FORBIDDEN = [/\.test\.js$/, /(^|\/)test-[^/]*\.js$/, /(^|\/)testdata\//, /^dist\/testing\//, /^dist\/bin\//, /\.map$/, /(?<!\.d)\.ts$/, /(^|\/)\.(bundle|entry)-/, /(^|\/)(e2e|bench|fixtures)\//];
const REQUIRED_MAIN = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'SHA256SUMS', 'CLIENT-INTEGRITY', 'dist/cli/bin.cjs', 'dist/cli/node-bundle.cjs', 'dist/cli/index.js', 'dist/cli/autopilot.cjs', 'dist/cli/autopilot.cjs.cache', 'dist/build-info.json', 'templates/autopilot/stage.ejs'];
const REQUIRED_PLATFORM = ['package.json', 'README.md', 'LICENSE', 'SHA256SUMS', 'bin/autopilot'];

function metadata(pkg) {
  const { version, license, repository, homepage, bugs, author } = pkg;
  return Object.fromEntries(Object.entries({ version, license, repository, homepage, bugs, author }).filter(([, v]) => v !== undefined));
}

function stagePlatform(stage, repo, pkg, bin, sums) {
  const name = platformPackage(bin.platform);
  const dir = join(stage, name);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(bin.path, join(dir, 'bin', 'autopilot'));
  chmodSync(join(dir, 'bin', 'autopilot'), 0o755);
  copyFileSync(sums, join(dir, 'SHA256SUMS'));
  copyFileSync(join(repo, 'LICENSE'), join(dir, 'LICENSE'));
  const manifest = {
    name,
    ...metadata(pkg),
    description: `The autopilot single-file binary for Linux ${bin.cpu} with ${bin.libc} (bin/autopilot). Installed by ${MAIN}; generated Dockerfiles install it directly.`,
    os: ['linux'],
    cpu: [bin.cpu],
    libc: [bin.libc],
    files: ['bin/autopilot', 'SHA256SUMS'],
    preferUnplugged: true,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, 'README.md'), `# ${name}\n\nThe \`autopilot\` binary (version ${pkg.version}) for Linux ${bin.cpu} with ${bin.libc}, as \`bin/autopilot\`, with the\nSHA256SUMS of the release. See [${MAIN}](https://www.npmjs.com/package/${MAIN}).\n\nIn a Dockerfile: \`npm pack ${name}@${pkg.version}\`, then \`tar -xzf ${name}-${pkg.version}.tgz package/bin/autopilot\`\nand check it against SHA256SUMS.\n`);
  return dir;
}

function stageMain(stage, repo, pkg, bins, sums) {
  const dir = join(stage, MAIN);
  mkdirSync(dir, { recursive: true });
  cpSync(join(repo, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(repo, 'templates'), join(dir, 'templates'), { recursive: true });
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE']) copyFileSync(join(repo, f), join(dir, f));
  copyFileSync(sums, join(dir, 'SHA256SUMS'));
  const { name, description, type, bin, engines, dependencies, files, keywords } = pkg;
  // package.json's own (koffi's addon for the reaper on Node), then the binaries.
  const optionalDependencies = { ...pkg.optionalDependencies, ...Object.fromEntries(bins.map((b) => [platformPackage(b.platform), pkg.version])) };
  const manifest = { name, ...metadata(pkg), description, keywords, type, bin, engines, files, dependencies, optionalDependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

/** `npm pack` of a staged folder into `dest`; returns npm's report (file list with modes). */
function pack(dir, dest) {
  const run = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_ignore_scripts: 'true' } });
  if (run.status !== 0) throw new Error(`npm pack in ${dir} failed: ${run.stderr.trim().split('\n').pop()}`);
  return JSON.parse(run.stdout)[0];
}

/** Every problem with a packed package's file list (empty when it is fine). */
export function contentProblems(report, required) {
  const paths = report.files.map((f) => f.path);
  const problems = [];
  for (const p of paths) for (const re of FORBIDDEN) if (re.test(p)) problems.push(`${report.name}: ships ${p} (matches ${re})`);
  for (const r of required) if (!paths.includes(r)) problems.push(`${report.name}: lacks ${r}`);
  const bin = report.files.find((f) => f.path === 'bin/autopilot');
  if (bin && (bin.mode & 0o111) !== 0o111) problems.push(`${report.name}: bin/autopilot is not executable (mode ${bin.mode.toString(8)})`);
  return problems;
}

/** Stages, packs and checks the six packages (four binaries, the CLI, the client); returns [{name, file, size, entryCount}]. */
export function buildNpmPackages(repo, out, bins) {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const stage = join(out, 'stage');
  const dest = join(out, 'npm');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const sums = join(out, 'bin', 'SHA256SUMS');
  // The client first: the CLI pins the integrity of this very tarball in the apps it generates
  // (CLIENT-INTEGRITY), and `npm pack` is reproducible, so it is the tarball the release publishes.
  const client = { report: pack(stageClient(stage, repo, pkg), dest), required: REQUIRED_CLIENT };
  const main = stageMain(stage, repo, pkg, bins, sums);
  writeFileSync(join(main, 'CLIENT-INTEGRITY'), `${client.report.integrity}\n`);
  const staged = [
    ...bins.map((b) => ({ dir: stagePlatform(stage, repo, pkg, b, sums), required: REQUIRED_PLATFORM })),
    { dir: main, required: REQUIRED_MAIN },
  ];
  const reports = [...staged.map(({ dir, required }) => ({ report: pack(dir, dest), required })), client];
  const problems = reports.flatMap(({ report, required }) => contentProblems(report, required));
  if (problems.length) throw new Error(`package contents:\n  ${problems.join('\n  ')}`);
  return reports.map(({ report }) => ({ name: report.name, file: join(dest, report.filename), size: report.size, entryCount: report.entryCount }));
}

export { binaryName };
