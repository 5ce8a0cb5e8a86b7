/** The daemons' JIT policy, observed through each engine's own introspection in a child process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { devBin } from '../testing/runtimes.js';
import { repoRoot } from '../testing/paths.js';

const policy = pathToFileURL(join(repoRoot, 'dist', 'cli', 'jit-policy.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'autopilot-jit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A script that applies `call` ('daemonJit', 'daemonJit-normal' or 'none'), calls a hot function
 * 2 x `half` times and prints what the engine did with it.
 */
function script(report: string, half: number): string {
  return `const HALF = ${half};
const m = await import(${JSON.stringify(policy)});
const call = process.argv[2];
if (call === 'daemonJit') m.daemonJit({});
if (call === 'daemonJit-normal') m.daemonJit({ AUTOPILOT_JIT: 'normal' });
function hot(x) { return (x * 2 + 1) | 0; }
let sum = 0;
for (let i = 0; i < HALF; i++) sum += hot(i);
await new Promise((r) => setTimeout(r, 100));
for (let i = 0; i < HALF; i++) sum += hot(i);
process.stdout.write(String(${report}));
`;
}

function run(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('Node: a daemon never optimises a hot function; AUTOPILOT_JIT=normal and other commands do', () => {
  const file = join(dir, 'node.mjs');
  // %GetOptimizationStatus: bit 16 is "optimised".
  writeFileSync(file, script('(%GetOptimizationStatus(hot) & 16) !== 0', 2e5));
  const optimised = (call: string) => run([process.execPath, '--allow-natives-syntax', file, call]);
  assert.equal(optimised('daemonJit'), 'false');
  assert.equal(optimised('daemonJit-normal'), 'true');
  assert.equal(optimised('none'), 'true');
});

// 3 million calls: with the thresholds times 10,000 (the earlier scale), JavaScriptCore optimises
// this function, as it optimised the supervisor's hottest code about 80 minutes into a soak.
test('Bun: a daemon does not compile a function called 3 million times; AUTOPILOT_JIT=normal does', () => {
  const file = join(dir, 'bun.mjs');
  writeFileSync(file, `import { numberOfDFGCompiles } from 'bun:jsc';\n${script('numberOfDFGCompiles(hot)', 1.5e6)}`);
  const compiles = (call: string) => Number(run([devBin('bun'), file, call]));
  assert.equal(compiles('daemonJit'), 0);
  assert.ok(compiles('daemonJit-normal') > 0);
  assert.ok(compiles('none') > 0);
});
