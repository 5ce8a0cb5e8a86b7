// Every consul-template template of the corpus (.ctmpl in containerpilot-v3/ and hello-world/),
// rendered by HashiCorp's consul-template (scripts/setup-consul-template.sh) and by
// `autopilot render -once` against one real Consul agent holding services with passing and
// critical instances: the outputs must be identical byte for byte.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dist, files, path } from './corpus.mjs';

const { startConsulAgent } = await dist('testing', 'consul-agent.js');
const { seedCatalog } = await dist('testing', 'render-catalog.js');
const { findConsulTemplate, runProgram, runRender } = await dist('testing', 'render-support.js');

const templates = ['containerpilot-v3', 'hello-world'].flatMap((sub) => files(sub, /\.ctmpl$/).map((name) => ({ sub, name })));

if (templates.length > 0) {
  let agent;
  let dir;
  let consulTemplate;
  before(async () => {
    consulTemplate = findConsulTemplate();
    dir = mkdtempSync(join(tmpdir(), 'autopilot-compat-ct-'));
    agent = await startConsulAgent();
    await seedCatalog(agent);
  });
  after(async () => {
    await agent?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [i, { sub, name }] of templates.entries()) {
    test(`${sub}/${name}: autopilot render writes what consul-template writes`, async () => {
      const template = path(sub, name);
      const theirs = join(dir, `${i}.ct`);
      const ours = join(dir, `${i}.ap`);
      const ct = await runProgram(consulTemplate, ['-once', '-consul-addr', agent.address, '-template', `${template}:${theirs}`], { timeoutMs: 20_000 });
      assert.equal(ct.status, 0, ct.stderr);
      const ap = await runRender(['-once', '-consul', agent.address, '-template', `${template}:${ours}`]);
      assert.equal(ap.status, 0, ap.stderr);
      assert.equal(readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8'));
    });
  }
}
