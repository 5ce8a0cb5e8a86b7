/**
 * Golden trees: the exact output of `autopilot new <blueprint>` is pinned under
 * generators/testdata/golden/<blueprint>/. `UPDATE_GOLDEN=1 npm test` rewrites them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLUEPRINTS } from '../blueprints/index.js';
import { repoRoot } from '../testing/paths.js';
import { opsToFiles, readTree, writeOps, released } from './helpers.test.js';
import { planNew } from './plan-new.js';

/** A fixed version, so a release does not change the golden files. */
export const GOLDEN_VERSION = '1.2.3';

for (const blueprint of BLUEPRINTS) {
  test(`new ${blueprint.name}: output matches the golden tree`, () => {
    const dir = join(repoRoot, 'generators', 'testdata', 'golden', blueprint.name);
    const ops = planNew({ blueprint, project: 'my-app', supervisor: released(GOLDEN_VERSION) });
    if (process.env['UPDATE_GOLDEN'] === '1') {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeOps(dir, ops);
    }
    const golden = readTree(dir);
    const actual = opsToFiles(ops);
    for (const path of Object.keys(golden)) assert.ok(path in actual, `${path}: in the golden tree but no longer generated`);
    for (const [path, content] of Object.entries(actual)) {
      assert.ok(path in golden, `${path}: generated but not in the golden tree (UPDATE_GOLDEN=1 to accept)`);
      assert.equal(content, golden[path], `${path}: differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
    }
  });
}

test('planning is deterministic, and every Dockerfile installs the pinned version of autopilot, checked', () => {
  for (const blueprint of BLUEPRINTS) {
    const supervisor = released('9.8.7');
    const a = planNew({ blueprint, project: 'x', supervisor });
    const b = planNew({ blueprint, project: 'x', supervisor });
    assert.deepEqual(a, b);
    const dockerfiles = a.filter((op) => op.path.endsWith('Dockerfile'));
    assert.ok(dockerfiles.length >= 3);
    for (const op of dockerfiles) {
      assert.match(op.content, /^FROM node:20-bookworm-slim AS autopilot$/m, op.path);
      assert.match(op.content, /npm pack --silent "\$pkg@9\.8\.7"/, op.path);
      assert.match(op.content, new RegExp(`amd64\\|x86_64\\) arch=x64 sha256=${supervisor.sha256['linux-x64']} ;;`), op.path);
      assert.match(op.content, new RegExp(`arm64\\|aarch64\\) arch=arm64 sha256=${supervisor.sha256['linux-arm64']} ;;`), op.path);
      assert.match(op.content, /^COPY --from=autopilot \/autopilot\/package\/bin\/autopilot \/usr\/local\/bin\/autopilot$/m, op.path);
    }
  }
});
