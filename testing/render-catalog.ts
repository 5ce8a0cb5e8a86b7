/** The catalog and templates the render tests (ours and consul-template's) render against. */
import { join } from 'node:path';
import { consulPut, type ConsulAgent } from './consul-agent.js';
import { repoRoot } from './paths.js';
import { registerInstance } from './render-support.js';

/** An nginx template over every service with passing instances (`range services`, `service .Name`). */
export const allServicesTemplate = join(repoRoot, 'supervisor', 'render', 'testdata', 'all-services.ctmpl');
export const helloWorldTemplate = join(repoRoot, 'generators', 'testdata', 'golden', 'hello-world', 'nginx', 'nginx.conf.ctmpl');

/**
 * hello: three instances on two external nodes, one of them critical (never rendered), listed
 * out of order so sorting shows; world: one; KV under app/.
 */
export async function seedCatalog(agent: ConsulAgent): Promise<void> {
  await registerInstance(agent, { node: 'node-b', nodeAddress: '127.0.0.12', id: 'hello-1', service: 'hello', port: 3001, tags: ['v1', 'primary'], meta: { version: '1.0' } });
  await registerInstance(agent, { node: 'node-a', nodeAddress: '127.0.0.10', id: 'hello-2', service: 'hello', port: 3002, address: '127.0.0.11', tags: ['v2'], meta: { version: '2.0' } });
  await registerInstance(agent, { node: 'node-a', nodeAddress: '127.0.0.10', id: 'hello-0', service: 'hello', port: 3000, status: 'critical' });
  await registerInstance(agent, { node: 'node-a', nodeAddress: '127.0.0.10', id: 'world-1', service: 'world', port: 4001, tags: ['primary'], status: 'passing' });
  for (const [k, v] of [['app/name', 'demo'], ['app/svc', 'world'], ['app/flags/b', '2'], ['app/flags/a', '1'], ['app/flags/sub/c', '3'], ['app/empty', '']]) {
    await consulPut(agent, `/v1/kv/${k}`, v);
  }
}

/** Every function and field blueprints use, including a dependency that depends on another. */
export const FEATURES_TEMPLATE = `{{ range service "primary.hello@dc1" }}{{ .ID }} {{ .Node }} {{ .Address }}:{{ .Port }} {{ .Tags }} {{ .ServiceMeta.version }} {{ .NodeAddress }} {{ .Name }} {{ .Status }}
{{ end }}---
{{ range service "hello" }}{{ .ID }}@{{ .Node }}={{ .Address }}:{{ .Port }} [{{ join "," .Tags }}] v{{ index .ServiceMeta "version" }}
{{ end }}---
{{ range services }}{{ .Name }}=[{{ join "," .Tags }}];{{ end }}
{{ key "app/name" }}|{{ keyOrDefault "app/missing" "fallback" }}|{{ keyOrDefault "app/empty" "was-empty" }}|{{ keyOrDefault "app/name" "unused" }}|{{ keyExists "app/name" }}|{{ keyExists "app/nope" }}
{{ range ls "app/flags" }}{{ .Key }}={{ .Value }} ({{ .Path }})
{{ end }}{{ env "RENDER_TEST_VAR" }}
{{ range service "hello" "passing,critical" }}{{ .ID }}:{{ .Status }} {{ end }}
{{ range service "nothing" }}x{{ else }}none{{ end }} {{ len (service "hello") }}
{{ range $i, $s := service (key "app/svc") }}{{ $i }}:{{ $s.ID }}:{{ $s.Port }} {{ end }}
{{ with $h := service "hello" }}{{ with index $h 0 }}first={{ .ID }}{{ end }}{{ end }}
`;

export const FEATURES_EXPECTED = `hello-1 node-b 127.0.0.12:3001 [primary v1] 1.0 127.0.0.12 hello passing
---
hello-2@node-a=127.0.0.11:3002 [v2] v2.0
hello-1@node-b=127.0.0.12:3001 [primary,v1] v1.0
---
consul=[];hello=[primary,v1,v2];world=[primary];
demo|fallback|was-empty|demo|true|false
a=1 (app/flags/a)
b=2 (app/flags/b)
from-env
hello-0:critical hello-2:passing hello-1:passing 
none 2
0:world-1:4001 
first=hello-2
`;
