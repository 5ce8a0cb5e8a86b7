import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTemplateSpec, SpecError } from './spec.js';

test('in:out:command splits as consul-template does, the command split without a shell', () => {
  assert.deepEqual(parseTemplateSpec('nginx.conf.ctmpl:/etc/nginx/nginx.conf:nginx -s reload'), {
    source: 'nginx.conf.ctmpl', destination: '/etc/nginx/nginx.conf', command: 'nginx -s reload', argv: ['nginx', '-s', 'reload'],
  });
  // Colons after the second part belong to the command; quotes group words.
  assert.deepEqual(parseTemplateSpec('in:out:curl -s "http://x:1/a b"').argv, ['curl', '-s', 'http://x:1/a b']);
  assert.deepEqual(parseTemplateSpec('in:out'), { source: 'in', destination: 'out', command: '', argv: [] });
  // Windows drive letters stay with their path.
  assert.equal(parseTemplateSpec('C:\\t\\in.ctmpl:D:\\out.conf').destination, 'D:\\out.conf');
});

test('a spec without destination, or with a broken command, is refused', () => {
  assert.throws(() => parseTemplateSpec('only.ctmpl'), SpecError);
  assert.throws(() => parseTemplateSpec('  '), SpecError);
  assert.throws(() => parseTemplateSpec('in:out:echo "open'), /unterminated double quote/);
});

test('a one-letter part followed by a colon is a drive letter, as in consul-template', () => {
  assert.deepEqual(parseTemplateSpec('a:b:c.conf'), { source: 'a:b', destination: 'c.conf', command: '', argv: [] });
});
