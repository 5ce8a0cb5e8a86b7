import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { addComposeVolume } from './compose-volumes.js';

const services = 'services:\n  db:\n    image: x # mine\n';

test('compose volumes: a top-level volumes key is created after the user\'s text, which stays byte for byte', () => {
  assert.equal(addComposeVolume(services, 'db-data'), `${services}\nvolumes:\n  db-data:\n`);
  assert.equal(addComposeVolume('services: {}', 'v'), 'services: {}\n\nvolumes:\n  v:\n');
});

test('compose volumes: a volume joins the existing ones in their indentation; a declared one changes nothing', () => {
  const text = `volumes:\n    old: {} # keep\n${services}`;
  assert.equal(addComposeVolume(text, 'new'), `volumes:\n    old: {} # keep\n    new:\n${services}`);
  assert.equal(addComposeVolume(text, 'old'), text);
});

test('compose volumes: CRLF files stay CRLF; a flow-style map is extended with its comments kept', () => {
  const crlf = services.replace(/\n/g, '\r\n');
  assert.equal(addComposeVolume(crlf, 'db-data'), `${crlf}\r\nvolumes:\r\n  db-data:\r\n`);
  const flow = `# top\n${services}volumes: { a: {} } # flow\n`;
  const out = addComposeVolume(flow, 'b');
  assert.deepEqual(parse(out).volumes, { a: {}, b: null });
  assert.match(out, /# top/);
  assert.match(out, /# mine/);
});

test('compose volumes: a volumes key that is not a mapping is a clear error', () => {
  assert.throws(() => addComposeVolume(`${services}volumes: [a]\n`, 'b'), { message: 'docker-compose.yml: "volumes" must be a mapping' });
});
