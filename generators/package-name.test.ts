/**
 * The npm package named `autopilot` is someone else's. Nothing we write may send users to it:
 * not a generated file, not a README or docs page, not the CLI's help or its next-step hints.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLUEPRINTS, findBlueprint } from '../blueprints/index.js';
import { repoRoot } from '../testing/paths.js';
import { memReader, opsToFiles, released, runCli, tempDir } from './helpers.test.js';
import { planAddBackend, planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';

/** `npx autopilot`, `npm i -g autopilot`, a link to its npm page, the image that was never published. */
const WRONG = /\b(?:npx|bunx|pnpm dlx|yarn dlx|npm (?:i|install|add|exec)(?: -g| --global)?)\s+autopilot(?![-\w])|npmjs\.com\/package\/autopilot(?![-\w])|autopilot\/autopilot:/;

function assertClean(where: string, text: string): void {
  const line = text.split('\n').find((l) => WRONG.test(l));
  assert.equal(line, undefined, `${where} names the wrong package: ${line}`);
}

test('the checker catches each wrong form and passes the right one', () => {
  for (const bad of ['npx autopilot new', 'npm i -g autopilot', 'npm install autopilot', 'see https://www.npmjs.com/package/autopilot)', 'COPY --from=autopilot/autopilot:1.0 /a /b']) assert.match(bad, WRONG, bad);
  for (const good of ['npx autopilot-pattern new', 'npm i -g autopilot-pattern', 'https://www.npmjs.com/package/autopilot-pattern', 'autopilot run', 'npx autopilot-pattern@1.2.3 add']) assert.doesNotMatch(good, WRONG, good);
});

test('generated projects name the real package, and the version that made them', () => {
  for (const blueprint of BLUEPRINTS) {
    const files = opsToFiles(planNew({ blueprint, project: 'p', supervisor: released('1.2.3') }));
    for (const [path, content] of Object.entries(files)) assertClean(`${blueprint.name}: ${path}`, content);
    assert.match(files['README.md']!, /npmjs\.com\/package\/autopilot-pattern\)/, `${blueprint.name}: README links the package`);
  }
  const hello = opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'p', supervisor: released('1.2.3') }));
  assert.match(hello['README.md']!, /^npx autopilot-pattern@1\.2\.3 add service billing/m);
  const added = [...planAddService(memReader(hello), { name: 'billing', port: 3003, project: 'p', supervisor: released('1.2.3') }).ops, ...planAddBackend(memReader(hello), { name: 'billing', service: 'hello' }).ops];
  for (const op of added) assertClean(`add: ${op.path}`, op.content);
});

test("the repository's READMEs and docs name the real package", () => {
  const docs = ['README.md', 'CHANGELOG.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const path of docs) assertClean(path, readFileSync(join(repoRoot, path), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
  assert.equal(pkg.name, 'autopilot-pattern');
  assert.deepEqual(Object.keys(pkg.bin), ['autopilot']);
});

test('the CLI help and next-step hints name the real package', (t) => {
  for (const args of [['--help'], ['new', '--help'], ['add', '--help']]) {
    const r = runCli(args, { cwd: repoRoot });
    assert.equal(r.status, 0, r.stderr);
    assertClean(`autopilot ${args.join(' ')}`, r.stdout);
  }
  const cwd = tempDir(t);
  const made = runCli(['new', 'hello-world', 'p', '--yes'], { cwd });
  assert.equal(made.status, 0, made.stderr);
  const add = runCli(['add', 'service', 'billing', '--port', '3003', '--dir', 'p'], { cwd });
  assert.equal(add.status, 0, add.stderr);
  assertClean('add service (next steps)', add.stdout);
  assert.match(add.stdout, /npx autopilot-pattern@\S+ add backend billing --service nginx/);
});
