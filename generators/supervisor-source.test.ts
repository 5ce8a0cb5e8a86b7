/**
 * Where generated images get autopilot: the pinned npm install stage (glibc and musl, released
 * and development builds) and `--vendor`, which copies the binary into each build context.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { applyPlan } from './apply.js';
import { memReader, opsToFiles, readTree, released, tempDir } from './helpers.test.js';
import { planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';
import { isVendored } from './project.js';
import { supervisorLines } from './supervisor-source.js';

const helloWorld = findBlueprint('hello-world')!;
const dev = { version: '0.9.0', sha256: {}, vendor: false };

test('the install stage picks the musl packages for a musl image, and does not run the binary in the glibc stage', () => {
  const { stage } = supervisorLines(released('2.0.0'), 'musl');
  assert.match(stage, /pkg="autopilot-pattern-linux-\$arch-musl"/);
  assert.match(stage, /arch=x64 sha256=3{64} ;;/, 'the linux-x64-musl checksum');
  assert.match(stage, /arch=arm64 sha256=4{64} ;;/, 'the linux-arm64-musl checksum');
  assert.doesNotMatch(stage, /--version/);
  const glibc = supervisorLines(released('2.0.0'), 'glibc').stage;
  assert.match(glibc, /pkg="autopilot-pattern-linux-\$arch"; /);
  assert.match(glibc, /package\/bin\/autopilot --version/);
});

test('a development build pins the version only, and says so in the Dockerfile and the README', () => {
  const files = opsToFiles(planNew({ blueprint: helloWorld, project: 'p', supervisor: dev }));
  for (const svc of ['nginx', 'hello', 'world']) {
    const dockerfile = files[`${svc}/Dockerfile`]!;
    assert.match(dockerfile, /npm pack --silent "\$pkg@0\.9\.0"/);
    assert.doesNotMatch(dockerfile, /sha256/);
    assert.match(dockerfile, /only\n# the version is pinned/);
  }
  assert.match(files['README.md']!, /development build of autopilot/);
});

test('--vendor: each build context gets the binary, the Dockerfiles copy it, nothing is fetched', async (t) => {
  const dir = tempDir(t);
  const binary = join(dir, 'the-binary');
  writeFileSync(binary, '#!/bin/sh\necho vendored\n', { mode: 0o755 });
  const supervisor = { version: '1.0.0', sha256: {}, vendor: true };
  const ops = planNew({ blueprint: helloWorld, project: 'p', supervisor, vendorFrom: binary });
  const project = join(dir, 'p');
  await applyPlan(ops, { dir: project });
  const tree = readTree(project);
  for (const svc of ['nginx', 'hello', 'world']) {
    assert.equal(tree[`${svc}/autopilot`], '#!/bin/sh\necho vendored\n', `${svc}/autopilot`);
    assert.equal(statSync(join(project, svc, 'autopilot')).mode & 0o111, 0o111, `${svc}/autopilot is executable`);
    assert.match(tree[`${svc}/Dockerfile`]!, /^COPY autopilot \/usr\/local\/bin\/autopilot$/m);
    assert.doesNotMatch(tree[`${svc}/Dockerfile`]!, /npm|AS autopilot/);
  }
  // The Node services copy their whole folder: an `app` stage drops the binary from that copy,
  // so the image holds it once (at /usr/local/bin), not twice.
  assert.match(tree['hello/Dockerfile']!, /^FROM node:20-bookworm-slim AS app\nCOPY \. \/opt\/hello\/\nRUN rm \/opt\/hello\/autopilot\n/m);
  assert.match(tree['hello/Dockerfile']!, /^COPY --from=app \/opt\/hello\/ \/opt\/hello\/$/m);
  assert.doesNotMatch(tree['hello/Dockerfile']!, /^COPY \. \/opt\/hello\/\n(?!RUN rm)/m);
  assert.doesNotMatch(tree['docker-compose.yml']!, /NPM_CONFIG_REGISTRY/);
  assert.match(tree['README.md']!, /generated with `--vendor`/);
  assert.equal(isVendored(memReader(tree)), true);

  // `add service` in a vendored project vendors too (the command layer passes isVendored on).
  const added = planAddService(memReader(tree), { name: 'billing', port: 3003, project: 'p', supervisor, vendorFrom: binary });
  const billing = added.ops.find((op) => op.path === 'billing/autopilot');
  assert.equal(billing?.copyFrom, binary);
  assert.match(added.ops.find((op) => op.path === 'billing/Dockerfile')!.content, /^COPY autopilot \/usr\/local\/bin\/autopilot$/m);
  assert.equal(readFileSync(binary, 'utf8'), '#!/bin/sh\necho vendored\n', 'the source is untouched');
});

test('a project installed from npm is not vendored', () => {
  const files = opsToFiles(planNew({ blueprint: helloWorld, project: 'p', supervisor: released('1.0.0') }));
  assert.equal(isVendored(memReader(files)), false);
});
