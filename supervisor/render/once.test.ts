import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { allServicesTemplate, FEATURES_EXPECTED, FEATURES_TEMPLATE, helloWorldTemplate, seedCatalog } from '../../testing/render-catalog.js';
import { deregisterInstance, registerInstance, runRender } from '../../testing/render-support.js';

let agent: ConsulAgent;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'render-once-'));
  agent = await startConsulAgent();
  await seedCatalog(agent);
});

after(async () => {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('every function and field blueprints use renders as consul-template renders it', async () => {
  const tpl = file('features.ctmpl', FEATURES_TEMPLATE);
  const out = join(dir, 'features.out');
  const r = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${out}`], { env: { RENDER_TEST_VAR: 'from-env' } });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `rendered ${out} (${Buffer.byteLength(FEATURES_EXPECTED)} bytes)\n`);
  assert.equal(readFileSync(out, 'utf8'), FEATURES_EXPECTED);
});

/** What the all-services template means for the seeded catalog, block by block. */
function allServicesExpected(serverPort: number): string {
  const services: Array<[string, string[]]> = [['consul', [`127.0.0.1:${serverPort}`]], ['hello', ['127.0.0.11:3002', '127.0.0.12:3001']], ['world', ['127.0.0.10:4001']]];
  const upstreams = services
    .map(([s, inst]) => `\n    upstream ${s} {\n        # the passing instances of ${s}\n        ${inst.map((a) => `\n        server ${a};\n        `).join('')}\n        keepalive 4;\n    }`)
    .join('');
  const locations = services
    .map(([s]) => `\n        location /${s}/ {\n            proxy_pass http://${s}/;\n            proxy_set_header Host $host;\n        }`)
    .join('');
  const parts = readFileSync(allServicesTemplate, 'utf8').split(/\{\{range services\}\}[\s\S]*?\{\{end\}\}\{\{end\}\}/);
  assert.equal(parts.length, 3);
  return `${parts[0]}${upstreams}${parts[1]}${locations}${parts[2]}`;
}

test('a template over every service (range services) renders each one with healthy instances', async () => {
  const out = join(dir, 'all-services.conf');
  const r = await runRender(['-once', '-consul', agent.address, '-template', `${allServicesTemplate}:${out}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), allServicesExpected(agent.ports.server));
});

test('the generated hello-world nginx.conf.ctmpl: upstreams from healthy instances, a placeholder when none', async () => {
  const text = readFileSync(helloWorldTemplate, 'utf8');
  const block = (svc: string) => `{{ range service "${svc}" }}server {{ .Address }}:{{ .Port }};\n        {{ else }}server 127.0.0.1:65535 down; # no healthy instance yet\n        {{ end }}`;
  assert.ok(text.includes(block('hello')) && text.includes(block('world')));
  const out = join(dir, 'hello-world.conf');
  const args = ['--once', '--consul', agent.address, '--template', `${helloWorldTemplate}:${out}`];
  assert.equal((await runRender(args)).status, 0);
  const full = text
    .replace(block('hello'), 'server 127.0.0.11:3002;\n        server 127.0.0.12:3001;\n        ')
    .replace(block('world'), 'server 127.0.0.10:4001;\n        ');
  assert.equal(readFileSync(out, 'utf8'), full);

  await deregisterInstance(agent, 'node-a', 'world-1');
  try {
    assert.equal((await runRender(args)).status, 0);
    assert.equal(readFileSync(out, 'utf8'), full.replace('server 127.0.0.10:4001;\n        ', 'server 127.0.0.1:65535 down; # no healthy instance yet\n        '));
  } finally {
    await registerInstance(agent, { node: 'node-a', nodeAddress: '127.0.0.10', id: 'world-1', service: 'world', port: 4001, tags: ['primary'], status: 'passing' });
  }
});

test('-once writes and runs the command only when the output changes, leaving no temporary file', async () => {
  const sub = mkdtempSync(join(dir, 'change-'));
  const counter = file('count.mjs', "import { appendFileSync } from 'node:fs'; appendFileSync(process.argv[2], 'ran\\n'); console.log('reloaded');\n");
  const count = join(sub, 'count');
  const tpl = file('ports.ctmpl', '{{ range service "hello" }}{{ .Port }} {{ end }}\n');
  const out = join(sub, 'ports.txt');
  const cmd = `${process.execPath} ${counter} ${count}`;
  const args = ['-once', '-consul', agent.address, '-template', `${tpl}:${out}:${cmd}`];
  const ranCount = () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length;

  const first = await runRender(args);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, `rendered ${out} (11 bytes); ran ${JSON.stringify(cmd)}: exit 0\n`);
  assert.equal(readFileSync(out, 'utf8'), '3002 3001 \n');
  assert.equal(ranCount(), 1);
  const before = statSync(out);

  const again = await runRender(args);
  assert.equal(again.status, 0);
  assert.equal(again.stdout, `unchanged ${out} (11 bytes)\n`);
  const same = statSync(out);
  assert.equal(same.ino, before.ino);
  assert.equal(same.mtimeMs, before.mtimeMs);
  assert.equal(ranCount(), 1);

  await registerInstance(agent, { node: 'node-c', id: 'hello-9', service: 'hello', port: 3009 });
  try {
    const changed = await runRender(args);
    assert.equal(changed.status, 0);
    assert.equal(readFileSync(out, 'utf8'), '3002 3001 3009 \n');
    assert.equal(ranCount(), 2);
  } finally {
    await deregisterInstance(agent, 'node-c', 'hello-9');
  }
  assert.deepEqual(readdirSync(sub).sort(), ['count', 'ports.txt']);
});

test('a failing command is reported with its output and exit code 1', async () => {
  const tpl = file('fail.ctmpl', '{{ key "app/name" }}\n');
  const out = join(dir, 'fail.txt');
  const cmd = `${process.execPath} -e "console.error('bad config'); process.exit(3)"`;
  const r = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${out}:${cmd}`]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, `rendered ${out} (5 bytes); ran ${JSON.stringify(cmd)}: exit 3: bad config\n`);
});

test('a broken template is one line naming file:line:col, exit 2, nothing written', async () => {
  const tpl = file('broken.ctmpl', 'ok\n{{ range service "hello" }}\n  {{ .Port }\n{{ end }}\n');
  const out = join(dir, 'broken.out');
  const r = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${out}`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^error: ${tpl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: .+\\n$`));
  assert.throws(() => statSync(out));

  const bad = file('bad-arg.ctmpl', '{{ range service "no such!" }}{{ end }}');
  const r2 = await runRender(['-once', '-consul', agent.address, '-template', `${bad}:${out}`]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /^error: .*bad-arg\.ctmpl:1:\d+: .*error calling service: health\.service: invalid format: "no such!"\n$/);
});

test('a key that does not exist, a missing template file and a missing destination are one-line errors', async () => {
  const tpl = file('nokey.ctmpl', '{{ key "app/nope" }}');
  const r = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${join(dir, 'nokey.out')}`]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'error: key "app/nope" does not exist in Consul (use keyOrDefault for an optional key)\n');
  const missing = await runRender(['-once', '-consul', agent.address, '-template', `${join(dir, 'absent.ctmpl')}:${join(dir, 'x')}`]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `error: template not found: ${join(dir, 'absent.ctmpl')}\n`);
  const nodest = await runRender(['-once', '-template', tpl]);
  assert.equal(nodest.status, 2);
  assert.match(nodest.stderr, /^error: -template ".*": no destination/);
});

test('Consul unreachable: a one-line error after a bounded retry, exit 1', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const tpl = file('down.ctmpl', '{{ range service "hello" }}{{ .Port }}{{ end }}');
  const out = join(dir, 'down.out');
  // The address comes from CONSUL_HTTP_ADDR when -consul is not given.
  const r = await runRender(['-once', '-template', `${tpl}:${out}`], { env: { CONSUL_HTTP_ADDR: `127.0.0.1:${port}` } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^error: consul http://127\\.0\\.0\\.1:${port} unreachable after 5 attempts: .*ECONNREFUSED.*\\n$`));
  assert.throws(() => statSync(out));
});
