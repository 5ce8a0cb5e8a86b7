import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSON5 from 'json5';
import { addJobMember } from './json5-job-patch.js';

const config = `// mine
{
  jobs: [
    { name: "other", exec: "x" },
    {
      name: "app", // the app
      exec: "node app.js",
      /* keep */ port: 80,
    },
  ],
}
`;

test('json5 job patch: the member is added to the named job only, every other byte kept', () => {
  const out = addJobMember(config, 'app', 'when', { source: 'watch.db', once: 'healthy' }, 'c.json5')!;
  assert.equal(out, config.replace('/* keep */ port: 80,\n', '/* keep */ port: 80,\n      when: { source: "watch.db", once: "healthy" },\n'));
  const jobs = (JSON5.parse(out) as { jobs: Array<{ name: string; when?: unknown }> }).jobs;
  assert.equal(jobs[0]!.when, undefined);
});

test('json5 job patch: a job that has the member is left alone; a missing job or jobs array is named', () => {
  assert.equal(addJobMember(config, 'app', 'exec', 'y', 'c.json5'), undefined);
  assert.throws(() => addJobMember(config, 'nope', 'when', {}, 'c.json5'), /^GeneratorError: c\.json5: no job named "nope"$/);
  assert.throws(() => addJobMember('{ watches: [] }', 'app', 'when', {}, 'c.json5'), /^GeneratorError: c\.json5: no "jobs" array$/);
  assert.throws(() => addJobMember('{ jobs: [ }', 'app', 'when', {}, 'c.json5'), /^GeneratorError: c\.json5:1:/);
});
