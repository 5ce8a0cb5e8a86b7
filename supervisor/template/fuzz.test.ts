// Robustness: thousands of seeded mutations of templates (the case table and our whole-file
// fixtures, testdata/fixture-files.ts) must each either render or raise a TemplateError (never
// another exception, never a hang), and pathological templates hit the execution bounds as
// TemplateErrors. Where Go is installed, the mutations must also render
// exactly as Go renders them, and fail exactly where Go fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateError, renderTemplate } from './index.js';
import { mutate, regexTemplate, rng } from './testdata/fuzz-gen.js';
import { templateFixtures } from './testdata/fixture-files.js';
import { type GoCase, type GoResult, readCases, renderWithGo, revive, withoutNoValue } from './testdata/go-reference.js';

const table = readCases();
const seeds = [...table.map((c) => c.template), ...templateFixtures().map((f) => f.text)];

function outcome(text: string, data: unknown, env: Record<string, string>, maxSteps: number): { output?: string; error?: TemplateError } {
  try {
    return { output: renderTemplate(text, revive(data), { name: 'fuzz', env, limits: { maxSteps } }) };
  } catch (e) {
    if (e instanceof TemplateError) return { error: e };
    throw new Error(`non-TemplateError for ${JSON.stringify(text)}: ${String(e)}`);
  }
}

test('mutated templates render or raise TemplateError, including huge loops', () => {
  const random = rng(20260101);
  let errors = 0;
  for (let i = 0; i < 4000; i++) {
    const c = table[Math.floor(random() * table.length)]!;
    const text = mutate(seeds, random, { huge: true });
    const r = outcome(text, c.data, c.env, 20_000);
    if (r.error) {
      errors++;
      assert.match(r.error.message, /^fuzz:\d+:\d+: \S/);
      assert.ok(r.error.line >= 1 && r.error.column >= 1);
    } else assert.equal(typeof r.output, 'string');
  }
  // Mutation must exercise both paths, or the test proves nothing.
  assert.ok(errors > 400 && errors < 3800, `errors: ${errors}`);
});

test('unbounded work is stopped by the execution limits', () => {
  const cases = [
    '{{ range 999999999 }}x{{ end }}',
    '{{ range loop 999999 }}{{ range loop 999999 }}{{ end }}{{ end }}',
    '{{ loop 0 999999999 }}',
    '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
    '{{ $s := "xxxxxxxxxxxxxxxx" }}{{ range 64 }}{{ $s = printf "%s%s" $s $s }}{{ end }}',
    '{{ printf "%*d" 1000000 1 }}'.repeat(100),
    '{{ ' + '('.repeat(50_000) + '1' + ')'.repeat(50_000) + ' }}',
    '{{ if 1 }}'.repeat(20_000) + '{{ end }}'.repeat(20_000),
  ];
  for (const text of cases) {
    assert.throws(() => renderTemplate(text, {}, { limits: { maxSteps: 200_000, maxOutput: 10_000_000 } }), TemplateError, text.slice(0, 60));
  }
});

test('default limits stop an endless range with a TemplateError', () => {
  assert.throws(() => renderTemplate('{{ range 999999999 }}{{ end }}', {}), (e: unknown) =>
    e instanceof TemplateError && /exceeded 5000000 steps/.test(e.message));
});

test('mutated templates behave exactly as in Go', (t) => {
  const random = rng(77);
  const cases: GoCase[] = [];
  for (let i = 0; i < 2500; i++) {
    const c = table[Math.floor(random() * table.length)]!;
    cases.push({ name: 'fuzz', template: mutate(seeds, random), data: c.data, env: c.env });
  }
  const go = renderWithGo(cases);
  if (go === null) {
    t.diagnostic('Go is not installed: compared with Go only through the golden case table');
    return;
  }
  let compared = 0;
  for (const [i, c] of cases.entries()) {
    const ours = outcome(c.template, c.data, c.env, 5_000_000);
    const g: GoResult = go[i]!;
    const where = `template ${JSON.stringify(c.template)}`;
    if (g.error !== null) assert.ok(ours.error, `${where}: Go fails (${g.error}) but we render ${JSON.stringify(ours.output)}`);
    else {
      assert.equal(ours.error, undefined, `${where}: Go renders but we fail: ${ours.error?.message}`);
      assert.equal(ours.output, withoutNoValue(g.output), where);
    }
    compared++;
  }
  assert.equal(compared, cases.length);
});

test('regexReplaceAll runs in linear time on patterns that make backtracking engines explode', () => {
  const a = 'a'.repeat(5000);
  const text = `{{ regexReplaceAll "(a+)+$" "X" .s }}|{{ regexReplaceAll "(a|a)*c" "X" .s }}|{{ regexReplaceAll "(x+x+)+y" "Z" .s | len }}`;
  assert.equal(renderTemplate(text, { s: a + 'b' }), `${a}b|${a}b|5001`);
});

test('random Go regexps replace exactly as Go\'s regexp does', (t) => {
  const random = rng(4242);
  const cases: GoCase[] = [];
  for (let i = 0; i < 2000; i++) cases.push({ name: 're', template: regexTemplate(random), data: {}, env: {} });
  const go = renderWithGo(cases);
  if (go === null) {
    t.diagnostic('Go is not installed: regexps compared with Go only through the golden case table');
    return;
  }
  let rendered = 0;
  for (const [i, c] of cases.entries()) {
    const ours = outcome(c.template, {}, {}, 5_000_000);
    const g: GoResult = go[i]!;
    if (g.error !== null) assert.ok(ours.error, `${c.template}: Go fails (${g.error}) but we render ${JSON.stringify(ours.output)}`);
    else {
      assert.equal(ours.error, undefined, `${c.template}: Go renders but we fail: ${ours.error?.message}`);
      assert.equal(ours.output, g.output, c.template);
      rendered++;
    }
  }
  assert.ok(rendered > 1500, `rendered: ${rendered}`);
});
