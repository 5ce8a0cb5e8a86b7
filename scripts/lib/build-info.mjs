// The git commit a build is made from, as base/version.ts reports it (`autopilot --version`,
// `containerpilot -version`): `npm run build` records it in dist/build-info.json, and the
// single-file binary embeds the one recorded for the dist/ it bundles.
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The short hash of HEAD, with `-dirty` when tracked files differ from it (as `git describe
 * --dirty`: untracked files do not count); `unknown` when `root` is not the top of a git
 * checkout (an unpacked tarball, even one inside another repository) or git is missing.
 */
export function gitCommit(root) {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const top = git('rev-parse', '--show-toplevel');
  if (top.status !== 0 || realpathSync(top.stdout.trim()) !== realpathSync(root)) return 'unknown';
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return head.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() !== '' ? '-dirty' : '');
}

const infoFile = (root) => join(root, 'dist', 'build-info.json');

/** Writes dist/build-info.json for this checkout; returns the commit it recorded. */
export function writeBuildInfo(root) {
  const commit = gitCommit(root);
  writeFileSync(infoFile(root), `${JSON.stringify({ commit })}\n`);
  return commit;
}

/** The commit dist/ was built from (dist/build-info.json), else the checkout's as it is now. */
export function builtCommit(root) {
  try {
    const { commit } = JSON.parse(readFileSync(infoFile(root), 'utf8'));
    if (typeof commit === 'string' && commit !== '') return commit;
  } catch {
    // No build-info.json: dist/ was made by tsc alone.
  }
  return gitCommit(root);
}
