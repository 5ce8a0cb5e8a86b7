// Publishing the packed npm packages: the platform packages first, so the main package never
// names a version that is not there yet. Used by `npm run release -- --publish` and by the e2e,
// which publishes the same tarballs to a local registry.
import { spawnSync } from 'node:child_process';
import { MAIN } from './npm-packages.mjs';

/** `npm publish` of each tarball; `registry` and `userconfig` (an npmrc with the token) are optional. */
export function publishPackages(packages, { registry, userconfig, log = (s) => process.stdout.write(s) } = {}) {
  const ordered = [...packages.filter((p) => p.name !== MAIN), ...packages.filter((p) => p.name === MAIN)];
  for (const p of ordered) {
    const argv = ['publish', p.file, '--access', 'public', ...(registry ? ['--registry', registry] : []), ...(userconfig ? ['--userconfig', userconfig] : [])];
    const r = spawnSync('npm', argv, { encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    if (r.status !== 0) throw new Error(`npm ${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
    log(`published ${p.name} (${p.file})\n`);
  }
}
