// Tearing everything down after the e2e, pass or fail: the compose project, any container left in
// the e2e's daemon, the daemon itself; then a check that none of their processes survived.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { run } from './sh.mjs';

const RUN_DIR = '/run/autopilot-e2e-dockerd';
let containerIds = [];

export async function teardown(project, setup) {
  const errors = [];
  if (project) {
    try {
      const { stdout } = await project.docker(['ps', '-aq', '--no-trunc'], { timeoutMs: 30_000 });
      containerIds = stdout.split('\n').filter(Boolean);
    } catch (err) {
      errors.push(`listing containers: ${err.message}`);
    }
    if (existsSync(project.dir)) try {
      await project.compose(['down', '-v', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000 });
    } catch (err) {
      errors.push(`docker-compose down: ${err.message}`);
    }
    try {
      const { stdout } = await project.docker(['ps', '-aq'], { timeoutMs: 30_000 });
      const left = stdout.split('\n').filter(Boolean);
      if (left.length) await project.docker(['rm', '-f', ...left], { timeoutMs: 60_000 });
      // Images replaced by this run's builds; the base images and the current builds stay cached.
      await project.docker(['image', 'prune', '-f'], { timeoutMs: 60_000 });
    } catch (err) {
      errors.push(`removing containers: ${err.message}`);
    }
  }
  try {
    await run('bash', [setup('stop-dockerd.sh')], { timeoutMs: 60_000 });
  } catch (err) {
    errors.push(`stopping dockerd: ${err.message}`);
  }
  if (errors.length) throw new Error(errors.join('\n'));
}

/**
 * Processes of the e2e's daemon (dockerd, containerd, shims: their command lines name its run
 * directory or containerd namespace) or of its containers (their cgroup names the container).
 * Any found are killed (they are this test's own) and returned, described.
 */
export async function leftoverProcesses() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline = '';
    let cgroup = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      cgroup = readFileSync(`/proc/${entry}/cgroup`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const ours = cmdline.includes(RUN_DIR) || / -namespace autopilot-e2e\b/.test(cmdline) ||
      containerIds.some((id) => cgroup.includes(id));
    if (!ours || !cmdline) continue;
    found.push(`${entry} ${cmdline.slice(0, 120)}`);
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return found;
}
