// A real npm registry (verdaccio) for the e2e, on the build bridge's address (start-dockerd.sh):
// the release's packages are published to it, `npx autopilot-pattern@<v>` installs from it on the
// host, and the image builds' RUN steps install from it, as a user's do from registry.npmjs.org.
// Everything else it proxies from registry.npmjs.org (autopilot-pattern's dependencies, the
// todo-api's mongodb driver).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, waitFor } from './sh.mjs';

export const REGISTRY_HOST = '10.232.0.1';
const PORT = 4873;

function config(dir) {
  return `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
packages:
  # Ours are only what this run published: never looked up upstream.
  'autopilot-pattern':
    access: $all
    publish: $authenticated
  'autopilot-pattern-*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    proxy: npmjs
max_body_size: 500mb
listen:
  - ${REGISTRY_HOST}:${PORT}
log: { type: stdout, format: pretty, level: warn }
`;
}

/**
 * Starts verdaccio (installed by setup/install-verdaccio.sh) with its storage under `work`;
 * returns { url, npmrc (with a token that may publish), log, stop() }.
 */
export async function startRegistry(work, setupScript) {
  const { stdout } = await run('bash', [setupScript('install-verdaccio.sh')], { timeoutMs: 5 * 60_000 });
  const cli = stdout.trim().split('\n').pop();
  const dir = join(work, 'registry');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), config(dir));
  const log = join(dir, 'verdaccio.log');
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [cli, '--config', join(dir, 'config.yaml')], { stdio: ['ignore', fd, fd], detached: true });
  const url = `http://${REGISTRY_HOST}:${PORT}/`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(`verdaccio answering at ${url}`, async () => ((await fetch(`${url}-/ping`).catch(() => undefined))?.ok ? true : undefined), { timeoutMs: 60_000, everyMs: 250 });
    const res = await fetch(`${url}-/user/org.couchdb.user:e2e`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e', password: 'e2e-only-password' }) });
    const { token } = await res.json();
    if (!token) throw new Error(`verdaccio gave no token (HTTP ${res.status})`);
    const npmrc = join(dir, 'npmrc');
    writeFileSync(npmrc, `registry=${url}\n//${REGISTRY_HOST}:${PORT}/:_authToken=${token}\n`);
    return { url, npmrc, log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
