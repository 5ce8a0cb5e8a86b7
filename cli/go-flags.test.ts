import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINERPILOT_FLAGS } from './containerpilot.js';
import { goUsage, parseGoFlags } from './go-flags.js';
import { invokedAsContainerPilot, invokedPath } from './invoked-name.js';

const parse = (...argv: string[]) => parseGoFlags(CONTAINERPILOT_FLAGS, argv);
const values = (...argv: string[]) => {
  const r = parse(...argv);
  assert.ok(r.ok, argv.join(' '));
  return { ...Object.fromEntries(r.values), args: r.args };
};

test('flags as Go reads them: one or two dashes, = or the next argument, bools alone', () => {
  assert.deepEqual(values('-config', 'a.json5', '--ping'), { config: ['a.json5'], ping: ['true'], args: [] });
  assert.deepEqual(values('-config=a=b', '-reload=false', '-template=1'), { config: ['a=b'], reload: ['false'], template: ['true'], args: [] });
  assert.deepEqual(values('-putenv', 'A=1', '-putenv=B='), { putenv: ['A=1', 'B='], args: [] });
  assert.deepEqual(values('-config', '-ping'), { config: ['-ping'], args: [] }, 'a string flag takes the next argument, whatever it is');
  assert.deepEqual(values('-ping', 'node', '-version'), { ping: ['true'], args: ['node', '-version'] }, 'parsing stops at the first non-flag');
  assert.deepEqual(values('--', '-ping'), { args: ['-ping'] });
  assert.deepEqual(values('-', '-ping'), { args: ['-', '-ping'] });
});

test('Go\'s messages for mistakes; -h and -help ask for the usage', () => {
  const cases: Array<[string[], string]> = [
    [['-bogus'], 'flag provided but not defined: -bogus'],
    [['--bogus=1'], 'flag provided but not defined: -bogus'],
    [['-config'], 'flag needs an argument: -config'],
    [['-reload=maybe'], 'invalid boolean value "maybe" for -reload: parse error'],
    [['-ping='], 'invalid boolean value "" for -ping: parse error'],
    [['-putenv', 'K'], 'invalid value "K" for flag -putenv: flag value \'K\' was not in the format \'key=val\''],
    [['-putmetric=m'], 'invalid value "m" for flag -putmetric: flag value \'m\' was not in the format \'key=val\''],
    [['---x'], 'bad flag syntax: ---x'],
    [['-=x'], 'bad flag syntax: -=x'],
  ];
  for (const [argv, error] of cases) assert.deepEqual(parse(...argv), { ok: false, help: false, error }, argv.join(' '));
  for (const h of ['-h', '-help', '--help']) assert.deepEqual(parse(h), { ok: false, help: true });
});

test('the usage text is ContainerPilot 3.8\'s, flag for flag and byte for byte', () => {
  assert.equal(
    goUsage('/usr/local/bin/containerpilot', CONTAINERPILOT_FLAGS),
    `Usage of /usr/local/bin/containerpilot:
  -config string
    \tFile path to JSON5 configuration file. Defaults to CONTAINERPILOT env var.
  -maintenance string
    \tToggle maintenance mode for a ContainerPilot process through its control socket.
    \t\tOptions: '-maintenance enable' or '-maintenance disable'
  -out string
    \tFile path where to save rendered config file when '-template' is used.
    \t\tDefaults to stdout ('-').
  -ping
    \tCheck that the ContainerPilot control socket is up.
  -putenv value
    \tUpdate environ of a ContainerPilot process through its control socket.
    \t\tPass environment in the format: 'key=value'
  -putmetric value
    \tUpdate metrics of a ContainerPilot process through its control socket.
    \t\tPass metrics in the format: 'key=value'
  -reload
    \tReload a ContainerPilot process through its control socket.
  -template
    \tRender template and quit.
  -version
    \tShow version identifier and quit.
`,
  );
});

test('the invoked name: argv[1] on Node and Deno, argv0 in a bun --compile binary', () => {
  assert.equal(invokedPath(['/usr/bin/node', '/usr/local/bin/containerpilot', '-ping'], 'node'), '/usr/local/bin/containerpilot');
  assert.equal(invokedPath(['bun', '/$bunfs/root/autopilot-linux-x64'], 'containerpilot'), 'containerpilot');
  assert.equal(invokedPath(['bun', '/$bunfs/root/autopilot-linux-x64'], '/usr/local/bin/autopilot'), '/usr/local/bin/autopilot');
  assert.equal(invokedAsContainerPilot('/usr/local/bin/containerpilot'), true);
  assert.equal(invokedAsContainerPilot('containerpilot'), true);
  assert.equal(invokedAsContainerPilot('/usr/local/bin/autopilot'), false);
  assert.equal(invokedAsContainerPilot('/opt/containerpilot/index.js'), false);
});
