/**
 * Installing autopilot-pattern runs no dependency's install script: npm's default policy skips
 * them with a warning users see, and whatever such a script does would be missing. Read from
 * package-lock.json, which records `hasInstallScript` for every package npm resolved; the e2e
 * checks the same on a real `npx autopilot-pattern` from a registry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './paths.js';

type LockEntry = { dev?: boolean; optional?: boolean; hasInstallScript?: boolean; os?: string[]; cpu?: string[] };

const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);

test('install: no runtime dependency, direct or transitive, has an install script', () => {
  assert.ok(runtime.length >= 9, `the lockfile lists the runtime dependencies (found ${runtime.length})`);
  const withScripts = runtime.filter(([, entry]) => entry.hasInstallScript).map(([path]) => path);
  assert.deepEqual(withScripts, []);
});

test('install: the FFI addon the reaper uses on Node is an optional, prebuilt package for each Linux CPU', () => {
  for (const cpu of ['x64', 'arm64']) {
    const entry = lock.packages[`node_modules/@koromix/koffi-linux-${cpu}`];
    assert.ok(entry, `@koromix/koffi-linux-${cpu} is locked`);
    assert.equal(entry.optional, true);
    assert.deepEqual([entry.os, entry.cpu], [['linux'], [cpu]]);
  }
});
