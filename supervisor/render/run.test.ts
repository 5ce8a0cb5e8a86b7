// `autopilot render -once` from a job's exec, started by a watch's `changed` event, as the
// generated nginx config does: a registration change in Consul ends up in the rendered file.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { cliPath } from '../../testing/paths.js';
import { Supervisor, TempDir } from '../../testing/supervisor.js';
import { deregisterInstance, registerInstance } from '../../testing/render-support.js';

let agent: ConsulAgent;
let dir: TempDir;
let sup: Supervisor | undefined;

before(async () => {
  dir = new TempDir();
  agent = await startConsulAgent();
});

after(async () => {
  if (sup) {
    sup.signal('SIGTERM');
    await sup.waitExit().catch(() => sup?.signal('SIGKILL'));
  }
  await agent?.stop();
  dir.dispose();
});

test('a watch-triggered job renders with each change of the watched service', async () => {
  const tpl = dir.file('up.ctmpl', '{{ range service "hello" }}server {{ .Address }}:{{ .Port }};\n{{ else }}none\n{{ end }}');
  const out = `${dir.path}/up.conf`;
  const counter = dir.file('count.mjs', "import { appendFileSync } from 'node:fs'; appendFileSync(process.argv[2], 'ran\\n');\n");
  const cmd = `${process.execPath} ${counter} ${dir.path}/count`;
  const config = dir.config('containerpilot.json5', JSON.stringify({
    consul: agent.address,
    jobs: [
      { name: 'keepalive', exec: [process.execPath, '-e', 'setInterval(() => {}, 1000)'] },
      {
        name: 'onchange-hello',
        exec: [process.execPath, cliPath, 'render', '-once', '-consul', agent.address, '-template', `${tpl}:${out}:${cmd}`],
        when: { source: 'watch.hello', each: 'changed' },
      },
    ],
    watches: [{ name: 'hello', interval: 1 }],
  }));
  await registerInstance(agent, { node: 'node-1', id: 'hello-1', service: 'hello', port: 3001, address: '127.0.0.21' });
  sup = new Supervisor(['run', '--config', config]);
  const step = (text: string, runs: number, what: string) =>
    sup!.until(() => dir.read('up.conf') === text && dir.lines('count').length === runs, what);
  await step('server 127.0.0.21:3001;\n', 1, 'the first render');
  await registerInstance(agent, { node: 'node-1', id: 'hello-2', service: 'hello', port: 3002, address: '127.0.0.22' });
  await step('server 127.0.0.21:3001;\nserver 127.0.0.22:3002;\n', 2, 'the second instance');
  await deregisterInstance(agent, 'node-1', 'hello-1');
  await step('server 127.0.0.22:3002;\n', 3, 'the first instance gone');
  await deregisterInstance(agent, 'node-1', 'hello-2');
  await step('none\n', 4, 'no instance left');
  assert.match(sup.output, /rendered .*up\.conf \(\d+ bytes\); ran ".*count": exit 0/);
});
