/**
 * Log formats and job output (ContainerPilot's test_logging, re-enacted): lines wrapped with job
 * name and pid, or passed through byte for byte with `logging.raw`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureConfig, Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('output-logging.json5: wrapped and raw output of jobs and health checks', async (t) => {
  const dir = new TempDir();
  const cp = withSupervisor(t, dir, fixtureConfig(dir, 'output-logging.json5'), { env: noEnv });
  await cp.waitFor(/^raw-check health output$/m);
  await cp.waitFor(/msg="wrapped-check health output"/);
  const out = cp.output;
  assert.match(out, /msg="loaded config: /);
  assert.match(out, /^time="\S+" level=info msg="wrapped-exec says hi" job=wrapped-exec pid=\d+$/m);
  assert.match(out, /^raw-exec says hi$/m);
  assert.match(out, /^raw-check health output$/m);
  assert.match(out, /^time="\S+" level=info msg="wrapped-check health output" check=check.wrapped-check pid=\d+$/m);
  assert.doesNotMatch(out, /msg="raw-exec says hi"|msg="raw-check health output"/);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0);
});

test('formats: default is "<RFC3339Nano> <msg>", json is one sorted object per line; raw bytes pass through', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const jobs = `jobs: [
    { name: "wrapped", exec: ["sh", "-c", "echo 'hello \\"world\\"'; echo err-line >&2"] },
    { name: "rawjob", exec: ["printf", "raw\\\\tbytes \\\\033[1mbold\\\\n"], logging: { raw: true } },
  ]`;
  const run = async (format: string): Promise<string> => {
    const cp = new Supervisor(['run', '--config', dir.config(`${format}.json5`, `{ logging: { format: "${format}" }, ${jobs} }`)], { env: noEnv });
    await cp.waitExit().finally(() => cp.dispose());
    return cp.stdout;
  };
  const def = await run('default');
  assert.match(def, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z hello "world"$/m);
  assert.match(def, /^\S+Z err-line$/m);
  assert.ok(def.includes('raw\tbytes \u001b[1mbold\n'), JSON.stringify(def));

  const json = await run('json');
  const entries = json
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const hello = entries.find((e) => e['msg'] === 'hello "world"');
  assert.ok(hello, json);
  assert.deepEqual(Object.keys(hello), ['job', 'level', 'msg', 'pid', 'time']);
  assert.equal(hello['job'], 'wrapped');
  assert.equal(hello['level'], 'info');
  assert.equal(typeof hello['pid'], 'number');
  assert.ok(entries.some((e) => e['msg'] === 'err-line'));
  assert.ok(json.includes('raw\tbytes \u001b[1mbold\n'));

  const text = await run('text');
  assert.match(text, /^time="\S+Z" level=info msg="hello \\"world\\"" job=wrapped pid=\d+$/m);
});

test('logging output stderr keeps stdout for raw jobs only', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const config = dir.config('cp.json5', `{ logging: { output: "stderr", level: "INFO" }, jobs: [
    { name: "a", exec: ["echo", "wrapped-line"] },
    { name: "b", exec: ["echo", "raw-line"], logging: { raw: true } },
  ] }`);
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  await cp.waitExit().finally(() => cp.dispose());
  assert.equal(cp.stdout, 'raw-line\n');
  assert.match(cp.stderr, /^\S+Z wrapped-line$/m);
});

test('logging level filters the supervisor lines and wrapped job output; a file output gets them all', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const job = `{ name: "a", exec: ["sh", "-c", "echo info-line; exit 3"] }`;
  const levels: Array<[string, boolean, boolean]> = [
    // level, job output (info) shown, events (debug) shown
    ['DEBUG', true, true],
    ['INFO', true, false],
    ['ERROR', false, false],
  ];
  for (const [level, info, debug] of levels) {
    const log = `${dir.path}/${level}.log`;
    const config = dir.config(`${level}.json5`, `{ logging: { level: "${level}", format: "text", output: "${log}" }, jobs: [${job}] }`);
    const cp = new Supervisor(['run', '--config', config], { env: noEnv });
    assert.equal((await cp.waitExit().finally(() => cp.dispose())).code, 3, cp.output);
    assert.equal(cp.stdout, '', 'a file output leaves stdout alone');
    const text = dir.read(`${level}.log`);
    assert.match(text, /^time="\S+" level=error msg="a exited with error: exit status 3"$/m, `${level}:\n${text}`);
    assert.equal(/msg=info-line job=a pid=\d+$/m.test(text), info, `${level}:\n${text}`);
    assert.equal(/level=debug msg="event: \{Startup global\}"$/m.test(text), debug, `${level}:\n${text}`);
  }
});
