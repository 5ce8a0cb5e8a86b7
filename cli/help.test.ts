/**
 * Every help text, kept as a reviewed snapshot (cli/testdata/help/<topic>.txt; UPDATE_GOLDEN=1
 * rewrites them, review the diff), the same from the single-file binary and through `help
 * <command>`; and every example in every help text run as printed, by bash, in a temp dir holding
 * what it needs, so no example can drift from the real flags.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { VERSION } from '../base/version.js';
import { configFixturesDir } from '../testing/config-fixtures.js';
import { cliPath, repoRoot } from '../testing/paths.js';
import { cliRuntime } from '../testing/runtimes.js';

const COMMANDS = ['new', 'add', 'ctl', 'status', 'health', 'validate', 'migrate', 'run', 'render', 'completion', 'help', 'version'];
const TOPICS: string[][] = [[], ...COMMANDS.map((c) => [c]), ['add', 'service'], ['add', 'backend']];
const snapshotDir = join(repoRoot, 'cli', 'testdata', 'help');
const snapshotName = (topic: string[]) => `${topic.length ? topic.join('-') : 'autopilot'}.txt`;

function cli(argv: readonly string[], args: string[], cwd = tmpdir()) {
  const r = spawnSync(argv[0]!, [...argv.slice(1), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The help text with the version (which every release changes) replaced by a placeholder. */
const helpOf = (argv: readonly string[], args: string[]) => {
  const r = cli(argv, args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout.replaceAll(`autopilot/${VERSION}`, 'autopilot/<version>');
};

test('every help text matches its snapshot (UPDATE_GOLDEN=1 rewrites; review the diff)', () => {
  const node = cliRuntime('node').argv;
  for (const topic of TOPICS) {
    const text = helpOf(node, [...topic, '--help']);
    const file = join(snapshotDir, snapshotName(topic));
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(snapshotDir, { recursive: true });
      writeFileSync(file, text);
      continue;
    }
    assert.ok(existsSync(file), `${file} is missing (UPDATE_GOLDEN=1 to write it)`);
    assert.equal(text, readFileSync(file, 'utf8'), `${topic.join(' ') || 'autopilot'} --help differs from ${file}`);
  }
});

test('help <command> prints what <command> --help prints; the binary prints the same texts', () => {
  const node = cliRuntime('node').argv;
  const binary = cliRuntime('binary').argv;
  for (const topic of TOPICS) {
    const text = helpOf(node, [...topic, '--help']);
    if (topic[0] !== 'help') assert.equal(helpOf(node, ['help', ...topic]), text, `help ${topic.join(' ')}`);
    assert.equal(helpOf(binary, [...topic, '--help']), text, `binary: ${topic.join(' ')} --help`);
  }
  assert.equal(helpOf(node, ['help']), helpOf(node, ['--help']));
});

/** The lines under "Examples:" of one help text. */
function examplesOf(text: string): string[] {
  const at = text.indexOf('\nExamples:\n');
  if (at < 0) return [];
  return text.slice(at + '\nExamples:\n'.length).split('\n').filter((l) => l.startsWith('autopilot '));
}

const work = mkdtempSync(join(tmpdir(), 'autopilot-help-'));
after(() => rmSync(work, { recursive: true, force: true }));
const bin = join(work, 'bin');
mkdirSync(bin);
// `autopilot` as the examples call it; `nginx` for render's command (no nginx reload here).
writeFileSync(join(bin, 'autopilot'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
writeFileSync(join(bin, 'nginx'), '#!/bin/sh\nexit 0\n');
chmodSync(join(bin, 'autopilot'), 0o755);
chmodSync(join(bin, 'nginx'), 0o755);
const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}`, NO_COLOR: '1', CONTAINERPILOT: '' };
let dirs = 0;

/**
 * A fresh folder with what an example of `command` needs; `stop` ends what it started; `env`,
 * when set, replaces the examples' environment.
 */
async function contextFor(command: string): Promise<{ cwd: string; stop: () => Promise<void>; env?: NodeJS.ProcessEnv }> {
  const cwd = join(work, `ex-${++dirs}`);
  mkdirSync(cwd);
  const none = { cwd, stop: async () => {} };
  if (command === 'completion') {
    // The examples append to ~/.bashrc and write into the shells' completion folders: a home of their own.
    for (const dir of ['.zfunc', '.config/fish/completions']) mkdirSync(join(cwd, dir), { recursive: true });
    return { ...none, env: { ...env, HOME: cwd } };
  }
  if (command === 'add' || command === 'validate') {
    assert.equal(spawnSync('autopilot', ['new', 'hello-world', 'proj', '--yes'], { cwd, env }).status, 0);
    const proj = join(cwd, 'proj');
    copyFileSync(join(proj, 'hello', 'containerpilot.json5'), join(proj, 'containerpilot.json5'));
    return { cwd: proj, stop: none.stop };
  }
  if (command === 'migrate') copyFileSync(join(configFixturesDir, 'v2', 'notes-api.json'), join(cwd, 'containerpilot.json'));
  if (command === 'render') writeFileSync(join(cwd, 'nginx.conf.ctmpl'), 'events {}\n');
  if (command === 'run') {
    writeFileSync(join(cwd, 'containerpilot.json5'), '{ consul: "127.0.0.1:1", jobs: [{ name: "app", exec: ["true"] }] }\n');
    writeFileSync(join(cwd, 'server.js'), 'console.log("served");\n');
  }
  if (command !== 'ctl' && command !== 'status' && command !== 'health') return none;
  const socket = join(cwd, 'cp.socket');
  writeFileSync(join(cwd, 'containerpilot.json5'), `{ consul: "127.0.0.1:1", control: { socket: "${socket}" }, jobs: [{ name: "app", exec: ["sleep", "60"], health: { exec: "true", interval: 1, ttl: 5 } }] }\n`);
  const supervisor: ChildProcess = spawn('autopilot', ['run', '--config', 'containerpilot.json5'], { cwd, env, stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
  // `health` answers 0 once the first check has passed.
  for (let i = 0; command === 'health' && i < 100 && spawnSync('autopilot', ['health', '--socket', socket], { env }).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  return {
    cwd,
    stop: () =>
      new Promise<void>((resolve) => {
        supervisor.once('exit', () => resolve());
        supervisor.kill('SIGTERM');
      }),
  };
}

test('every example of every help text runs, as printed, with exit 0', async () => {
  const node = cliRuntime('node').argv;
  let ran = 0;
  for (const topic of TOPICS) {
    for (const example of examplesOf(helpOf(node, [...topic, '--help']))) {
      const context = await contextFor(topic[0] === 'help' ? 'help' : (topic[0] ?? ''));
      try {
        const r = spawnSync('bash', ['-c', example], { cwd: context.cwd, env: context.env ?? env, encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, `${example}\n${r.stdout}${r.stderr}`);
        assert.doesNotMatch(r.stderr, /error/i, example);
        ran++;
      } finally {
        await context.stop();
      }
    }
  }
  assert.ok(ran >= 15, `only ${ran} examples found`);
});
