/**
 * The from-source setup scripts (scripts/setup-*.sh, scripts/lib/cached-build.sh): which go.mod
 * directives a throw-away build module copies, and scripts/setup-compose.sh reusing its cache and
 * (re)installing the docker CLI plugin without building again.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './paths.js';
import { tempDir } from '../generators/helpers.test.js';

const GO_MOD = `module example.com/tool

go 1.26.8

require example.com/dep v1.0.0

replace example.com/local => ./local

replace (
\t// why: a fork
\texample.com/forked => example.com/fork v1.2.3 // pinned
\texample.com/sibling => ../sibling

)

exclude (
\t// FIXME(someone): remove once upstream moved on.
\t//
\texample.com/old v1.1.2-0.20180830191138-d8f796af33cc
)
exclude example.com/bad v0.9.0
`;

test('inherited_directives: exclude lines and non-local replace lines, without comments or local paths', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'go.mod'), GO_MOD);
  const r = spawnSync('bash', ['-c', 'source scripts/lib/cached-build.sh && inherited_directives "$1"', 'x', join(dir, 'go.mod')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'replace example.com/forked => example.com/fork v1.2.3',
    'exclude example.com/old v1.1.2-0.20180830191138-d8f796af33cc',
    'exclude example.com/bad v0.9.0',
  ]);
});

test('setup-compose.sh with the binary cached: links the plugin to it, builds nothing, twice', (t) => {
  const dir = tempDir(t);
  const cached = join(dir, 'cache', 'compose-v5.6.0', 'docker-compose');
  mkdirSync(join(cached, '..'), { recursive: true });
  writeFileSync(cached, '#!/bin/sh\necho "Docker Compose version v5.6.0"\n');
  chmodSync(cached, 0o755);
  const plugins = join(dir, 'cli-plugins');
  const env = { ...process.env, AUTOPILOT_CACHE: join(dir, 'cache'), COMPOSE_PLUGIN_DIR: plugins, COMPOSE_VERSION: '5.6.0', PATH: '/usr/bin:/bin' };
  for (let i = 0; i < 2; i++) {
    const r = spawnSync('bash', ['scripts/setup-compose.sh'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').pop(), cached);
    assert.doesNotMatch(r.stderr, /building/);
    assert.equal(readlinkSync(join(plugins, 'docker-compose')), cached);
  }
});
