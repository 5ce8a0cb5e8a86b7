/** Usage mistakes as git and docker answer them: one voice, "did you mean", missing arguments named with an example. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir } from '../generators/helpers.test.js';

const cases: Array<[string[], string]> = [
  [['nwe'], 'error: unknown command "nwe" (did you mean "new"?); see autopilot --help'],
  [['help', 'valdate'], 'error: unknown command "valdate" (did you mean "validate"?); see autopilot --help'],
  [['frobnicate'], 'error: unknown command "frobnicate"; see autopilot --help'],
  [['--verison'], 'error: unknown option "--verison" (did you mean "--version"?); see autopilot --help'],
  [['new', 'hello-world', 'x', '--dry-rn'], 'error: unknown option "--dry-rn" for "autopilot new" (did you mean "--dry-run"?); see autopilot new --help'],
  [['add', 'backend', 'db', '--servce', 'hello'], 'error: unknown option "--servce" for "autopilot add backend" (did you mean "--service"?); see autopilot add backend --help'],
  [['add'], 'error: add: missing <kind>: "service" or "backend", e.g. autopilot add service billing --port 3003; see autopilot add --help'],
  [['add', 'service'], "error: add service: missing <name>, the new service's name, e.g. autopilot add service billing --port 3003; see autopilot add service --help"],
  [['add', 'backend'], 'error: add backend: missing <name>, the service to watch, e.g. autopilot add backend db --service hello; see autopilot add backend --help'],
  [['migrate'], 'error: migrate: missing <file>, the 2.x config, e.g. autopilot migrate containerpilot.json -o containerpilot.json5; see autopilot migrate --help'],
  [['add', 'service', 'x', '--port'], 'error: option --port needs a value; see autopilot add service --help'],
  [['migrate', 'a', 'b'], 'error: too many arguments: "b"; see autopilot migrate --help'],
];

test('usage mistakes: one line, lowercase, did-you-mean, the missing argument named with an example, exit 2', (t) => {
  const cwd = tempDir(t);
  for (const [args, message] of cases) {
    const r = runCli(args, { cwd });
    assert.deepEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr }, { status: 2, stdout: '', stderr: `${message}\n` }, args.join(' '));
  }
});
