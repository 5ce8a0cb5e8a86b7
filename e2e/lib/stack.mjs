// The common start of a blueprint e2e: janitor, Docker installed, the private dockerd, leftovers of
// an earlier run cleared, stand-in base images built, the release published to a local npm
// registry; and the common end:
// tear-down, timing table, no leftover process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from './docker.mjs';
import { Phases } from './phases.mjs';
import { leftoverProcesses, teardown } from './teardown.mjs';
import { run } from './sh.mjs';
import { startRegistry } from './registry.mjs';
import { publishPackages } from '../../scripts/release/publish.mjs';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const setup = (name) => join(repo, 'e2e', 'setup', name);

const script = (name, timeoutMs, env = process.env) => run('bash', [setup(name)], { timeoutMs, env, cwd: repo });

/**
 * The whole frame of a blueprint e2e: a temp dir (the project goes to `<it>/<blueprint>`), the
 * set-up phases, `body({ project, phases, dir, work, registry })`, then the tear-down and the timing table,
 * pass or fail. Throws the first failure (a phase's, the tear-down's, or a leftover process).
 */
export async function withStack(blueprint, body) {
  const work = mkdtempSync(join(tmpdir(), 'autopilot-e2e-'));
  const dir = join(work, blueprint);
  const stack = {};
  const phases = new Phases({ logsFor: (services) => (stack.project ? stack.project.logs(services) : '') });
  let failure;
  try {
    await startStack(phases, stack, dir, work);
    await body({ project: stack.project, phases, dir, work, registry: stack.registry });
  } catch (err) {
    failure = err;
  }
  failure = await stopStack(phases, stack, work, failure);
  if (failure) throw failure;
}

/**
 * Runs the set-up phases. Fills `stack` as it goes ({ janitor, project: the Project for `dir`, not
 * generated yet }), so failure logs and the tear-down can use whatever exists when a phase fails.
 */
export async function startStack(phases, stack, dir, work) {
  // Should this process die without tearing down (interrupted, killed by the runner), the janitor
  // does it: it waits for our exit, then removes the containers and stops the daemon.
  const janitor = spawn('bash', [setup('janitor.sh'), String(process.pid), work], { detached: true, stdio: 'ignore' });
  janitor.unref();
  stack.janitor = janitor;
  await phases.run('install docker.io, docker-compose', [], () => script('install-docker.sh', 15 * 60_000));
  // Compose v2 is built from source by a script of ours, not installed here: say so, don't skip.
  await phases.run('Compose v2 (docker compose) installed', [], () => new Project(dir, '').requireComposeV2());
  const dockerHost = await phases.run('start dockerd', [], async () => {
    const { stdout } = await script('start-dockerd.sh', 60_000);
    return stdout.trim().split('\n').pop().replace(/^DOCKER_HOST=/, '');
  });
  stack.project = new Project(dir, dockerHost);
  const env = stack.project.env;
  await phases.run('clear leftovers of an earlier run', [], async () => {
    const { stdout } = await stack.project.docker(['ps', '-aq']);
    const ids = stdout.split('\n').filter(Boolean);
    if (ids.length) await stack.project.docker(['rm', '-f', ...ids], { timeoutMs: 60_000 });
    await stack.project.docker(['network', 'prune', '-f']);
  });
  await phases.run('stand-in base images', [], () => script('build-base-images.sh', 40 * 60_000, env));
  // The release as `npm run release -- --dry-run` built it (npm run e2e does that first),
  // published to a real npm registry: the builds install autopilot from it as users' builds do.
  const registry = await phases.run('npm registry (verdaccio), publish the release', [], async () => {
    const r = await startRegistry(work, setup);
    stack.registry = r;
    publishPackages(releasePackages(), { registry: r.url, userconfig: r.npmrc, log: () => {} });
    return r;
  });
  env.NPM_CONFIG_REGISTRY = registry.url;
}

/** The release's npm tarballs (release/npm/), as `npm run release -- --dry-run` left them. */
export function releasePackages() {
  const dir = join(repo, 'release', 'npm');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (files.length !== 6) throw new Error(`${dir} holds ${files.length} npm packages, not 6: run \`npm run release -- --dry-run\` first (npm run e2e does)`);
  return files.map((f) => ({ name: f.replace(/-\d+\.\d+\.\d+.*\.tgz$/, ''), file: join(dir, f) }));
}

/** The package version under test. */
export const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;

/** `npx autopilot-pattern@<version> <args>` from the test's registry, with a fresh npm cache: a user's first run. */
export async function npxAutopilot(project, work, args) {
  const env = { ...project.env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
  const result = await run('npx', ['--yes', '--registry', env.NPM_CONFIG_REGISTRY, `autopilot-pattern@${version}`, ...args], { cwd: work, env, timeoutMs: 5 * 60_000 });
  // npm's default policy skips dependencies' install scripts and warns: a user must see neither.
  const warned = result.stderr.split('\n').filter((line) => /install-scripts|allowScripts/.test(line));
  if (warned.length > 0) throw new Error(`installing autopilot-pattern printed an install-scripts warning:\n${warned.join('\n')}`);
  return result;
}

/** Tears down whatever `startStack` got to, prints the timings, and returns the first failure. */
export async function stopStack(phases, stack, work, failure) {
  await stack?.registry?.stop();
  await phases.run('tear down', [], () => teardown(stack?.project, setup)).catch((err) => {
    failure ??= err;
  });
  process.stderr.write(phases.table());
  rmSync(work, { recursive: true, force: true });
  try {
    if (stack?.janitor) process.kill(-stack.janitor.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const left = await leftoverProcesses();
  if (left.length) failure ??= new Error(`processes left behind: ${left.join('; ')}`);
  return failure;
}

/** A container's log lines with Docker's receive time: [{ at: ms since epoch, line }]. */
export async function timedLogs(project, id) {
  const { stdout, stderr } = await project.docker(['logs', '-t', id], { timeoutMs: 30_000 });
  const out = [];
  for (const raw of `${stdout}\n${stderr}`.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z (.*)$/.exec(raw);
    if (!m) continue;
    // Date.parse keeps milliseconds only; Docker gives nanoseconds.
    out.push({ at: Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}Z`), line: m[3] });
  }
  return out.sort((a, b) => a.at - b.at);
}
