import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { addComposeService, addComposeServices, ComposeError, composePublishedPorts, composeServiceNames } from './compose-patch.js';

const USER_FILE = `# my stack (hand-edited)
version: "3.8"
services:
  # the front door
  nginx:
    build: nginx/   # local build
    ports:
      - "8080:80"
      - target: 443
        published: 8443
  consul:
    image: hashicorp/consul:1.20
    ports: ["127.0.0.1:8500:8500"]
# trailing note
`;

test('adds a service and keeps every other byte: comments, quoting, spacing, order', () => {
  const after = addComposeService(USER_FILE, 'billing', 'build: billing/\ndepends_on:\n  - consul\n');
  const cut = USER_FILE.indexOf('# trailing note');
  assert.equal(after, USER_FILE.slice(0, cut) + '\n  billing:\n    build: billing/\n    depends_on:\n      - consul\n' + USER_FILE.slice(cut));
  assert.deepEqual(composeServiceNames(after), ['nginx', 'consul', 'billing']);
  assert.deepEqual(parse(after).services.billing, { build: 'billing/', depends_on: ['consul'] });
});

test('follows the file indent (4 spaces) and survives a block scalar at the end', () => {
  const four = 'services:\n    web:\n        image: x\n        command: >-\n          folded\n          text\n';
  const after = addComposeService(four, 'billing', 'build: billing/\ndepends_on:\n  - consul\n');
  assert.equal(after, four + '\n    billing:\n        build: billing/\n        depends_on:\n            - consul\n');
  assert.equal(parse(after).services.web.command, 'folded text');
});

test('flow-style services are re-printed by yaml, still correct', () => {
  const after = addComposeService('services: { web: { image: x } }\n', 'b', 'build: b/\n');
  assert.deepEqual(parse(after), { services: { web: { image: 'x' }, b: { build: 'b/' } } });
});

test('reads service names and published host ports in every port syntax', () => {
  assert.deepEqual([...composePublishedPorts(USER_FILE)].sort(), [
    [8080, 'nginx'],
    [8443, 'nginx'],
    [8500, 'consul'],
  ]);
});

test('legacy files (services at the top level) and empty files', () => {
  const legacy = 'nginx:\n  build: nginx/\n  ports:\n    - "80:80"\n';
  assert.deepEqual(composeServiceNames(legacy), ['nginx']);
  assert.deepEqual(parse(addComposeService(legacy, 'x', 'build: x/\n')), { nginx: { build: 'nginx/', ports: ['80:80'] }, x: { build: 'x/' } });
  assert.deepEqual(parse(addComposeService('', 'x', 'build: x/\n')), { services: { x: { build: 'x/' } } });
});

test('refuses a duplicate service and unparsable YAML with file and line', () => {
  assert.throws(() => addComposeService(USER_FILE, 'nginx', 'build: x/\n'), /docker-compose\.yml: service "nginx" already exists/);
  assert.throws(() => composeServiceNames('services:\n  a: [\n', 'docker-compose.yml'), (err: Error) => err instanceof ComposeError && /^docker-compose\.yml:\d+:\d+: /.test(err.message));
});

test('several services at once give the same text as adding them one after another', () => {
  const entries = [
    { name: 'billing', fragment: 'build: billing/\ndepends_on:\n  - consul\n' },
    { name: 'mail', fragment: 'image: mailhog\nports:\n  - "8025:8025"\n' },
    { name: 'cache', fragment: 'image: redis\n' },
  ];
  const oneByOne = (text: string) => entries.reduce((t, e) => addComposeService(t, e.name, e.fragment), text);
  const files = [USER_FILE, 'services:\n', '', '# header\nservices:\n', 'services:\n    web:\n        image: x\n', 'nginx:\n  build: nginx/\n', 'services: { web: { image: x } }\n'];
  for (const file of files) {
    const together = addComposeServices(file, entries);
    assert.deepEqual(Object.keys(parse(together).services ?? parse(together)).slice(-3), ['billing', 'mail', 'cache'], file);
    assert.equal(together, oneByOne(file), JSON.stringify(file));
  }
  assert.throws(() => addComposeServices(USER_FILE, [entries[0]!, entries[0]!]), /docker-compose\.yml: service "billing" already exists/);
  assert.throws(() => addComposeServices(USER_FILE, [entries[0]!, { name: 'consul', fragment: 'image: y\n' }]), /service "consul" already exists/);
});
