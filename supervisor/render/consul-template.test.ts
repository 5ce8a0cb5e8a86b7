// The same templates rendered by HashiCorp's consul-template (built from source by
// scripts/setup-consul-template.sh) and by `autopilot render`, against one real Consul agent:
// the outputs must be identical byte for byte.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { allServicesTemplate, FEATURES_TEMPLATE, helloWorldTemplate, seedCatalog } from '../../testing/render-catalog.js';
import { deregisterInstance, findConsulTemplate, registerInstance, runProgram, runRender } from '../../testing/render-support.js';

let agent: ConsulAgent;
let dir: string;
let consulTemplate: string;
const env = { ...process.env, RENDER_TEST_VAR: 'from-env' };

before(async () => {
  consulTemplate = findConsulTemplate();
  dir = mkdtempSync(join(tmpdir(), 'render-ct-'));
  agent = await startConsulAgent();
  await seedCatalog(agent);
});

after(async () => {
  await agent?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function both(template: string, label: string): Promise<{ ours: string; theirs: string }> {
  const theirsOut = join(dir, `${label}.ct`);
  const oursOut = join(dir, `${label}.ap`);
  const ct = await runProgram(consulTemplate, ['-once', '-consul-addr', agent.address, '-template', `${template}:${theirsOut}`], { env, timeoutMs: 20_000 });
  assert.equal(ct.status, 0, ct.stderr);
  const ap = await runRender(['-once', '-consul', agent.address, '-template', `${template}:${oursOut}`], { env });
  assert.equal(ap.status, 0, ap.stderr);
  return { ours: readFileSync(oursOut, 'utf8'), theirs: readFileSync(theirsOut, 'utf8') };
}

test('a template over every service (range services): identical to consul-template', async () => {
  const { ours, theirs } = await both(allServicesTemplate, 'all-services');
  assert.match(theirs, /upstream hello \{/);
  assert.equal(ours, theirs);
});

test('generated hello-world nginx.conf.ctmpl: identical to consul-template, with and without instances', async () => {
  const full = await both(helloWorldTemplate, 'hello-world');
  assert.match(full.theirs, /server 127\.0\.0\.11:3002;/);
  assert.equal(full.ours, full.theirs);
  await deregisterInstance(agent, 'node-a', 'world-1');
  try {
    const partial = await both(helloWorldTemplate, 'hello-world-partial');
    assert.match(partial.theirs, /65535 down/);
    assert.equal(partial.ours, partial.theirs);
  } finally {
    await registerInstance(agent, { node: 'node-a', nodeAddress: '127.0.0.10', id: 'world-1', service: 'world', port: 4001, tags: ['primary'], status: 'passing' });
  }
});

test('tags, datacenters, filters, services, key, keyOrDefault, ls, env and item fields: identical to consul-template', async () => {
  const tpl = join(dir, 'features.ctmpl');
  writeFileSync(tpl, FEATURES_TEMPLATE);
  const { ours, theirs } = await both(tpl, 'features');
  assert.match(theirs, /first=hello-2/);
  assert.equal(ours, theirs);
});

test('Go template built-ins over Consul data: identical to consul-template', async () => {
  const tpl = join(dir, 'builtins.ctmpl');
  writeFileSync(tpl, [
    // consul-template renders once before the data arrives, so index needs a guard.
    '{{- with $all := service "hello" -}}',
    '{{ len $all }} {{ printf "%03d|%-8s|%q" (index $all 0).Port (index $all 1).ID (index $all 0).Tags }}',
    '{{ range $i, $s := $all }}{{ if $i }},{{ end }}{{ $s.Name | printf "%s" }}-{{ $s.Port }}{{ end }}',
    '{{ (index $all 1).NodeMeta }} {{ end }}',
    '{{ range services }}{{ if eq .Name "world" }}{{ .Name }} has {{ len .Tags }} tag(s){{ else if ne .Name "consul" }}{{ .Name | html }}{{ end }} {{ end }}',
    '{{ range service "world" }}{{ .ServiceMeta }} {{ .Weights.Passing }}{{ end }}',
    '{{ range ls "app/flags" }}{{ .Key | printf "%q" }}{{ end }} {{ toUpper (key "app/name") }} {{ split "," "a,b,,c" }}',
    '{{ range tree "app" }}{{ .Key }}={{ .Value }};{{ end }}',
    '{{ range $tag, $s := service "hello" | byTag }}{{ $tag }}:{{ range $s }}{{ .ID }},{{ end }} {{ end }}',
    '{{ range $tag, $s := byTag services }}{{ $tag }}:{{ len $s }} {{ end }}',
    '{{ define "up" }}server {{ .Address }}:{{ .Port }}{{ end }}{{ range service "hello" }}{{ template "up" . }};{{ end }}',
    '',
  ].join('\n'));
  const { ours, theirs } = await both(tpl, 'builtins');
  assert.match(theirs, /^2 3002\|hello-1 /);
  assert.match(theirs, /flags\/sub\/c=3;name=demo;/);
  assert.match(theirs, /primary:hello-1, v1:hello-1, v2:hello-2, /);
  assert.equal(ours, theirs);
});
