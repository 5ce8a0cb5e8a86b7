/**
 * The prompts in a real terminal: tmux runs the built CLI in a pseudo-terminal, the test types
 * keys with send-keys and reads the screen with capture-pane. A private tmux socket per test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { cliPath } from '../testing/paths.js';
import { readTree, tempDir } from './helpers.test.js';

interface Terminal {
  keys: (...keys: string[]) => void;
  screen: () => string;
  waitFor: (pattern: RegExp) => Promise<string>;
}

function startTerminal(t: TestContext, cwd: string, args: string): Terminal {
  // Registered before the socket's folder, so the server is killed before the folder goes.
  let socket = '';
  t.after(() => spawnSync('tmux', ['-S', socket, 'kill-server'], { timeout: 10_000 }));
  socket = join(tempDir(t, 'autopilot-tmux-'), 'sock');
  const tmux = (...a: string[]) => {
    const r = spawnSync('tmux', ['-S', socket, ...a], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${a[0]}: ${r.stderr}`);
    return r.stdout;
  };
  // The shell line prints the exit code so the test can read it from the screen.
  tmux('new-session', '-d', '-x', '120', '-y', '40', '-c', cwd, `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} ${args}; echo EXIT=$?; sleep 30`);
  const screen = () => tmux('capture-pane', '-p');
  return {
    keys: (...keys) => void tmux('send-keys', ...keys),
    screen,
    waitFor: async (pattern) => {
      for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
        const s = screen();
        if (pattern.test(s)) return s;
      }
      throw new Error(`the screen never showed ${pattern}:\n${screen()}`);
    },
  };
}

test('new with no arguments asks for the blueprint and the directory, then scaffolds', async (t) => {
  const cwd = tempDir(t);
  const term = startTerminal(t, cwd, 'new');
  const first = await term.waitFor(/Blueprint/);
  assert.match(first, /hello-world/);
  assert.match(first, /todo-api/);
  term.keys('Down');
  await term.waitFor(/❯ +todo-api/);
  term.keys('Enter');
  await term.waitFor(/Project directory.*todo-api/); // the default is offered
  term.keys('s', 'h', 'o', 'p', 'Enter');
  const done = await term.waitFor(/EXIT=\d+/);
  assert.match(done, /EXIT=0/);
  assert.match(done, /Done: 22 files in shop\./);
  assert.match(done, /Next steps:/);
  const files = readTree(join(cwd, 'shop'));
  assert.ok('api/index.js' in files && 'mongo/containerpilot.json5' in files);
});

test('Ctrl-C at a prompt: exit 130, one line, nothing written', async (t) => {
  const cwd = tempDir(t);
  const term = startTerminal(t, cwd, 'new');
  await term.waitFor(/Blueprint/);
  term.keys('Enter');
  await term.waitFor(/Project directory/);
  term.keys('C-c');
  const screen = await term.waitFor(/EXIT=\d+/);
  assert.match(screen, /EXIT=130/);
  const after = screen.slice(screen.indexOf('Project directory'));
  assert.deepEqual(after.split('\n').filter((l) => l.trim()).slice(1), ['Cancelled: nothing was written.', 'EXIT=130']);
  assert.deepEqual(readTree(cwd), {});
});

test('on a terminal, new hello-world my-app asks nothing', async (t) => {
  const cwd = tempDir(t);
  const term = startTerminal(t, cwd, 'new hello-world my-app');
  const screen = await term.waitFor(/EXIT=\d+/);
  assert.match(screen, /EXIT=0/);
  assert.doesNotMatch(screen, /\?/);
  assert.ok('docker-compose.yml' in readTree(join(cwd, 'my-app')));
});

test('add backend without --service offers the app services, all preselected', async (t) => {
  const cwd = tempDir(t);
  const setup = spawnSync(process.execPath, [cliPath, 'new', 'hello-world', 'app', '--yes'], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(setup.status, 0, setup.stderr);
  writeFileSync(join(cwd, 'app', 'notes.txt'), '');
  const term = startTerminal(t, join(cwd, 'app'), 'add backend db');
  const menu = await term.waitFor(/Which services depend on db/);
  assert.match(menu, /hello[\s\S]*world/);
  assert.doesNotMatch(menu.slice(menu.indexOf('Which services')), /nginx|consul/, 'only the apps: not nginx, not consul');
  // Space takes world out of the selection (the cursor starts on hello; Down moves to world).
  term.keys('Down', 'Space', 'Enter');
  const done = await term.waitFor(/EXIT=\d+/);
  assert.match(done, /EXIT=0/);
  const tree = readTree(join(cwd, 'app'));
  assert.match(tree['hello/containerpilot.json5']!, /when: \{ source: "watch\.db", once: "healthy" \}/);
  assert.doesNotMatch(tree['world/containerpilot.json5']!, /watch\.db/);
  assert.ok('db/Dockerfile' in tree);
});
