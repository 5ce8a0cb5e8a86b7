/**
 * Started under the name `containerpilot` (a symlink to the Node entry dist/cli/index.js, and one
 * to the single-file binary), the program answers as ContainerPilot 3's command line does
 * (cli/containerpilot.ts): spawned for real, one-shot commands and the control subcommands
 * against a running supervisor's private socket. Under the name `autopilot` nothing changes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlClient } from '../supervisor/control/client.js';
import { versionText } from '../testing/build-version.js';
import { cliPath } from '../testing/paths.js';
import { freePort, runCli, supervise, type CliResult } from '../testing/runtimes-process.js';
import { cliRuntime, type CliRuntime } from '../testing/runtimes.js';
import { sleep, type Supervisor } from '../testing/supervisor.js';

const RUNTIMES = ['node', 'binary'] as const;
type Rt = (typeof RUNTIMES)[number];
const FATAL = (msg: string): RegExp => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z ${msg}\\n$`);

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'autopilot-cp-name-'));
  for (const rt of RUNTIMES) mkdirSync(join(work, rt));
  symlinkSync(cliPath, join(work, 'node', 'containerpilot'));
  symlinkSync(cliRuntime('binary').argv[0]!, join(work, 'binary', 'containerpilot'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const link = (rt: Rt): string => join(work, rt, 'containerpilot');
/** Node runs the symlinked script (what a bin link's shebang does); the binary is exec'd by the link's name. */
const runtime = (rt: Rt): CliRuntime => ({ name: rt, argv: rt === 'node' ? [process.execPath, link(rt)] : [link(rt)] });
const containerpilot = (rt: Rt, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
  runCli(runtime(rt), args, { cwd: join(work, rt), env: { CONTAINERPILOT: undefined, ...env }, timeoutMs: 30_000 });
const result = (r: CliResult) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });

for (const rt of RUNTIMES) {
  describe(`containerpilot (${rt}): one-shot commands`, () => {
    const file = (name: string, text: string): string => {
      const path = join(work, rt, name);
      writeFileSync(path, text);
      return path;
    };
    const exits3 = () => file('exits3.json5', `{ control: { socket: "${join(work, rt, 'exits3.sock')}" }, jobs: [ { name: "app", exec: ["sh", "-c", "echo app ran; exit 3"] } ] }\n`);

    it("no arguments runs $CONTAINERPILOT as `autopilot run` does and exits with the main job's code", async () => {
      const r = await containerpilot(rt, [], { CONTAINERPILOT: exits3() });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /Z app ran\n/);
    });

    it('no arguments and no $CONTAINERPILOT: ContainerPilot\'s "-config flag is required" on stdout, exit 1', async () => {
      const r = await containerpilot(rt, []);
      assert.deepEqual([r.code, r.stderr], [1, '']);
      assert.match(r.stdout, FATAL('-config flag is required'));
      for (const control of ['-ping', '-reload', '-template']) assert.match((await containerpilot(rt, [control])).stdout, FATAL('-config flag is required'), control);
    });

    it('-version prints Version and GitHash', async () => {
      for (const flag of ['-version', '--version', '-version=true']) assert.deepEqual(result(await containerpilot(rt, [flag])), { code: 0, stdout: versionText, stderr: '' }, flag);
    });

    it('-config f runs f (over $CONTAINERPILOT); a config it cannot load is a fatal log line, exit 1', async () => {
      const r = await containerpilot(rt, ['-config', exits3()], { CONTAINERPILOT: join(work, 'missing.json5') });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const missing = await containerpilot(rt, [`-config=${join(work, rt, 'none.json5')}`]);
      assert.deepEqual([missing.code, missing.stderr], [1, '']);
      assert.match(missing.stdout, FATAL('config not found: .*none\\.json5'));
    });

    it('arguments after the flags: the application of a 2.x config (as 2.x ran it); beside a 3.x config ignored, as ContainerPilot 3 does', async () => {
      const v2 = file('v2.json', '{ "consul": "127.0.0.1:1", "preStart": "echo prestart ran" }\n');
      const app = ['sh', '-c', 'echo app ran; exit 4'];
      for (const [args, env] of [[['-config', v2, ...app], {}], [app, { CONTAINERPILOT: v2 }]] as const) {
        const r = await containerpilot(rt, [...args], env);
        assert.equal(r.code, 4, r.stdout + r.stderr);
        assert.match(r.stdout, /Z prestart ran\n.*Z app ran\n/s);
      }
      const v3 = await containerpilot(rt, ['-config', exits3(), ...app]);
      assert.equal(v3.code, 3, v3.stdout + v3.stderr);
      assert.match(v3.stdout, /Z app ran\n/);
      assert.equal(v3.stderr, 'containerpilot: ignoring the arguments after the flags (sh -c echo app ran; exit 4): a 3.x config runs its jobs only, as ContainerPilot 3 does\n');
    });

    it('-template -config f -out x writes the rendered config and prints nothing', async () => {
      const config = file('templated.json5', '{ consul: "{{ .CONSUL }}:8500", jobs: [] }\n');
      const out = join(work, rt, 'rendered.json5');
      assert.deepEqual(result(await containerpilot(rt, ['-template', '-config', config, '-out', out], { CONSUL: 'consul.svc' })), { code: 0, stdout: '', stderr: '' });
      assert.equal(readFileSync(out, 'utf8'), '{ consul: "consul.svc:8500", jobs: [] }\n');
      const toStdout = await containerpilot(rt, ['-template'], { CONSUL: 'other', CONTAINERPILOT: config });
      assert.deepEqual(result(toStdout), { code: 0, stdout: '{ consul: "other:8500", jobs: [] }\n', stderr: '' });
    });

    it("a flag it does not define: Go's message and the usage naming the program on stderr, exit 2; -help exits 0", async () => {
      const r = await containerpilot(rt, ['-bogus', '-config', 'x']);
      assert.deepEqual([r.code, r.stdout], [2, '']);
      const usage = `Usage of ${link(rt)}:\n  -config string\n`;
      assert.ok(r.stderr.startsWith(`flag provided but not defined: -bogus\n${usage}`), r.stderr);
      assert.match(r.stderr, /\n {2}-version\n {4}\tShow version identifier and quit\.\n$/);
      const bad = await containerpilot(rt, ['-putenv', 'NOVALUE']);
      assert.deepEqual([bad.code, bad.stderr.split('\n')[0]], [2, 'invalid value "NOVALUE" for flag -putenv: flag value \'NOVALUE\' was not in the format \'key=val\'']);
      const help = await containerpilot(rt, ['-help']);
      assert.deepEqual([help.code, help.stdout, help.stderr.startsWith(usage)], [0, '', true]);
    });
  });

  describe(`containerpilot (${rt}): the control subcommands against a running supervisor`, () => {
    const dir = () => join(work, rt);
    let config: string;
    let socket: string;
    let port: number;
    let cp: Supervisor;
    const text = (extraJobs = '') => `{
  control: { socket: "${socket}" },
  jobs: [ { name: "app", exec: ["sleep", "60"] }${extraJobs} ],
  telemetry: { port: ${port}, interfaces: ["static:127.0.0.1"],
    metrics: [ { namespace: "app", subsystem: "", name: "hits_total", help: "hits", type: "counter" } ] },
}\n`;
    const ok = async (args: string[], env: Record<string, string> = {}, stdout = ''): Promise<void> =>
      assert.deepEqual(result(await containerpilot(rt, args, env)), { code: 0, stdout, stderr: '' }, args.join(' '));

    before(async () => {
      config = join(dir(), 'control.json5');
      socket = join(dir(), 'cp.sock');
      port = await freePort();
      writeFileSync(config, text());
      cp = supervise(runtime(rt), ['-config', config], { env: { CONTAINERPILOT: undefined } });
      for (let i = 0; i < 150 && !(await new ControlClient(socket, 1000).ping().then(() => true, () => false)); i++) await sleep(100);
    });
    after(() => cp.dispose());

    it('-ping prints ok, the socket taken from -config or from $CONTAINERPILOT', async () => {
      await ok(['-config', config, '-ping'], {}, 'ok\n');
      await ok(['-ping'], { CONTAINERPILOT: config }, 'ok\n');
    });

    it('-putenv (repeated) then -reload: a job the reload adds sees both variables', async () => {
      await ok(['-config', config, '-putenv', 'GREETING=hello', '-putenv=OTHER=a=b']);
      const out = join(dir(), 'env.txt');
      writeFileSync(config, text(`, { name: "writer", exec: ["sh", "-c", "printf '%s|%s' \\"$GREETING\\" \\"$OTHER\\" > ${out}"] }`));
      await ok(['-reload'], { CONTAINERPILOT: config });
      for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100);
      assert.equal(readFileSync(out, 'utf8'), 'hello|a=b', cp.output);
    });

    it('-putmetric reaches /metrics', async () => {
      await ok(['-config', config, '-putmetric', 'app_hits_total=4']);
      assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /^app_hits_total 4$/m);
    });

    it('-maintenance enable and disable switch maintenance mode', async () => {
      await ok(['-config', config, '-maintenance', 'enable']);
      assert.equal((await new ControlClient(socket).status()).maintenance, true);
      await ok(['-maintenance=disable', '-config', config]);
      assert.equal((await new ControlClient(socket).status()).maintenance, false);
    });

    it('SIGTERM stops the supervisor, exit 0, socket removed', async () => {
      cp.signal('SIGTERM');
      assert.deepEqual(await cp.waitExit(30_000), { code: 0, signal: null }, cp.output);
      assert.equal(existsSync(socket), false);
    });
  });
}

describe('under the name autopilot nothing changes', () => {
  it('no arguments print the help, exit 0, even with $CONTAINERPILOT set', async () => {
    for (const rt of RUNTIMES) {
      const r = await runCli(cliRuntime(rt), [], { env: { CONTAINERPILOT: join(work, 'any.json5') } });
      assert.equal(r.code, 0, `${rt}: ${r.stderr}`);
      assert.match(r.stdout, /^autopilot\/\d+\.\d+\.\d+\n\nUsage:\n/, rt);
    }
  });
});
