// Number literals with underscores, and long ones: each is classified once, without the
// exponential backtracking a long literal that matches no form used to cause.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, TemplateError } from './index.js';

test('underscored literals read as Go reads them', () => {
  assert.equal(renderTemplate('{{ 1_000_000 }} {{ 0_7 }} {{ 017 }} {{ 1_0.5_0 }} {{ 1e1_0 }} {{ 0x_1F }}', {}), '1000000 7 15 10.5 1e+10 31');
  assert.throws(() => renderTemplate('{{ 1__0 }}', {}), TemplateError);
  assert.throws(() => renderTemplate('{{ 1_ }}', {}), TemplateError);
});

test('a 400-digit literal is refused at once, not after exponential backtracking', () => {
  const long = '1' + '0'.repeat(400);
  assert.throws(() => renderTemplate(`{{ ${long}. }}`, {}), (e: unknown) => e instanceof TemplateError && /illegal number syntax/.test(e.message));
  assert.throws(() => renderTemplate(`{{ ${long} }}`, {}), (e: unknown) => e instanceof TemplateError && /overflows int|illegal number/.test(e.message));
  assert.throws(() => renderTemplate(`{{ 0${'7'.repeat(400)}9 }}`, {}), TemplateError);
});
