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
import { opsToFiles, readTree, writeOps } from './helpers.test.js';
import { planNew } from './plan-new.js';

/** A fixed version, so a release does not change the golden files. */
export const GOLDEN_VERSION = '1.2.3';

for (const blueprint of BLUEPRINTS) {
  test(`new ${blueprint.name}: output matches the golden tree`, () => {
    const dir = join(repoRoot, 'generators', 'testdata', 'golden', blueprint.name);
    const ops = planNew({ blueprint, project: 'my-app', version: GOLDEN_VERSION });
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

test('planning is deterministic and carries the version into every Dockerfile', () => {
  for (const blueprint of BLUEPRINTS) {
    const a = planNew({ blueprint, project: 'x', version: '9.8.7' });
    const b = planNew({ blueprint, project: 'x', version: '9.8.7' });
    assert.deepEqual(a, b);
    const dockerfiles = a.filter((op) => op.path.endsWith('Dockerfile'));
    assert.ok(dockerfiles.length >= 3);
    for (const op of dockerfiles) assert.match(op.content, /^COPY --from=autopilot\/autopilot:9\.8\.7 \/usr\/local\/bin\/autopilot \/usr\/local\/bin\/autopilot$/m, op.path);
  }
});
