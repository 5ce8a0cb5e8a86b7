// A TemplateError is one line even when it quotes template text holding a newline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, TemplateError } from './index.js';

test('an error quoting a raw string with a newline stays on one line', () => {
  assert.throws(
    () => renderTemplate('{{ `a\nb` 1 }}', {}, { name: 't' }),
    (e: unknown) => e instanceof TemplateError && e.message === "t:1:4: executing \"t\" at <`a\\nb`>: can't give argument to non-function `a\\nb`",
  );
});
