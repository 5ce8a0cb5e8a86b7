// The engine's public behaviour with literal expectations (no Go needed): ContainerPilot's own
// template test table, error reporting, the function-map API and the value model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FuncError, GoFloat, TemplateError, goStruct, renderTemplate, withSig } from './index.js';

const env = { NAME: 'Template', USER: 'pilot', PARTS: 'a:b:c', COUNT: '3', NAME_1: 'Template' };
const render = (text: string, data: unknown = env, opts = {}): string => renderTemplate(text, data, { name: 'test', ...opts });

test('ContainerPilot v3 template examples', () => {
  const table: [string, string][] = [
    ['Hello, {{.NAME}}!', 'Hello, Template!'],
    ['Hello, {{.NONAME}}!', 'Hello, !'],
    ['{{ loop 2 5 }}', '[2 3 4]'],
    ['{{ loop 10 1 }}', '[10 9 8 7 6 5 4 3 2]'],
    ['{{ loop 5 }}', '[0 1 2 3 4]'],
    ['{{ loop .COUNT }}', '[0 1 2]'],
    ['{{ loop 1 .COUNT }}', '[1 2]'],
    ['{{ range $i := loop 2 5 -}}i={{$i}},{{ end }}', 'i=2,i=3,i=4,'],
    ['Hello, {{ env (printf "NA%s" "ME_1") }}!', 'Hello, Template!'],
    ['Hello, {{.NONAME | default "World" }}!', 'Hello, World!'],
    ['Hello, {{.NONAME | default 100 }}!', 'Hello, 100!'],
    ['Hello, {{.NONAME | default 10.1 }}!', 'Hello, 10.1!'],
    ['Hello, {{.PARTS | split ":" | join "." }}!', 'Hello, a.b.c!'],
    ['Hello, {{.NAME | replaceAll "e" "_" }}!', 'Hello, T_mplat_!'],
    ['Hello, {{.NAME | regexReplaceAll "[epa]+" "_" }}!', 'Hello, T_m_l_t_!'],
  ];
  for (const [text, want] of table) assert.equal(render(text), want, text);
});

test('language features', () => {
  const data = { s: 'x', n: 3, list: ['a', 'b'], m: { b: 2, a: 1 }, t: true };
  const table: [string, string][] = [
    ['a {{- " b " -}} c', 'a b c'],
    ['{{/* gone */}}kept', 'kept'],
    ['{{ $v := .s }}{{ $v = "y" }}{{ $v }}{{ $.s }}', 'yx'],
    ['{{ if .missing }}1{{ else if .t }}2{{ else }}3{{ end }}', '2'],
    ['{{ with .s }}<{{ . }}>{{ else }}none{{ end }}{{ with .missing }}x{{ else }}none{{ end }}', '<x>none'],
    ['{{ range $i, $e := .list }}{{ $i }}{{ $e }}{{ end }}', '0a1b'],
    ['{{ range $k, $v := .m }}{{ $k }}={{ $v }} {{ end }}', 'a=1 b=2 '],
    ['{{ range .n }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}', '02'],
    ['{{ range 10 }}{{ if gt . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}', '012'],
    ['{{ range .none }}x{{ else }}empty{{ end }}', 'empty'],
    ['{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" .s }}{{ block "b" .n }}<{{ . }}>{{ end }}', '[x]<3>'],
    ['{{ (printf "%s-%d" .s .n) | len }}', '3'],
    ['{{ printf "%5.2f|%-4s|%03d|%q|%x|%t|%v|%%" 3.14159 "ab" 7 "q" 255 true .list }}', ' 3.14|ab  |007|"q"|ff|true|[a b]|%'],
    ['{{ and 1 0 }} {{ or 0 "z" }} {{ not .t }} {{ len .list }} {{ index .list 1 }} {{ slice "hello" 1 3 }}', '0 z false 2 b el'],
    ['{{ eq .n 3 }} {{ ne .s "x" }} {{ lt 1 2 }} {{ ge 2.5 3.5 }} {{ eq .s "a" "x" }}', 'true false true false true'],
    ['{{ html "<a&b>" }} {{ js "it\'s" }} {{ urlquery "a b/c" }}', '&lt;a&amp;b&gt; it\\\'s a+b%2Fc'],
    ['{{ print 1 2 "a" 3 }}|{{ println "x" 1 }}', '1 2a3|x 1\n'],
    ['{{ 1e6 }} {{ 3.0 }} {{ 0x10 }} {{ \'a\' }} {{ -2 }}', '1e+06 3 16 97 -2'],
    ['{{ "multi\\nline" }} {{ `raw\\n` }}', 'multi\nline raw\\n'],
    ['{{ regexReplaceAll "(\\\\w+)@(\\\\w+)" "${2} at $1" "me@host" }}', 'host at me'],
    ['{{ split "," "" | len }} {{ "a,b" | split "," | join "+" }}', '0 a+b'],
  ];
  for (const [text, want] of table) assert.equal(render(text, data), want, text);
});

test('missing keys render empty and are false; "<no value>" never appears', () => {
  assert.equal(render('[{{ .NOPE }}]'), '[]');
  assert.equal(render('{{ if .NOPE }}y{{ else }}n{{ end }}'), 'n');
  assert.equal(render('[{{ .a }}][{{ .b }}][{{ index . "a" }}]', { b: null, c: 1 }), '[][][]');
  assert.equal(render('{{ define "t" }}[{{ . }}{{ .x }}]{{ end }}{{ template "t" }}'), '[]');
  assert.equal(render('{{ html .a }}{{ js .a }}{{ urlquery .a }}', { c: 1 }), '');
  assert.equal(render('{{ .x }}', undefined), '');
});

test('an environment entry holding undefined is an unset variable', () => {
  const envWithUnset = { A: undefined, C: 'c', D: 'x' };
  assert.equal(render('[{{ .A }}|{{ .A | split ":" | len }}|{{ .A | default "d" }}|{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}|{{ len . }}]', envWithUnset),
    '[|0|d|C=c;D=x;|2]');
  assert.equal(render('{{ env "A" }}|{{ env "C" }}', envWithUnset), '|c');
});

function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected a TemplateError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected a TemplateError');
}

test('errors name the template, line and column', () => {
  const cases: [string, string][] = [
    ['ok\n  {{ .NAME', 'cfg:2:3: unclosed action'],
    ['x {{ end }}', 'cfg:1:6: unexpected {{end}}'],
    ['{{ if 1 }}\n{{ else }}\n{{ end }}{{ end }}', 'cfg:3:13: unexpected {{end}}'],
    ['{{ nope 1 }}', 'cfg:1:4: function "nope" not defined'],
    ['{{ $x }}', 'cfg:1:4: undefined variable "$x"'],
    ['{{ if 1 }}', 'cfg:1:11: unexpected EOF'],
    ['{{/* c', 'cfg:1:3: unclosed comment'],
    ['a\n{{ split ":" }}', 'cfg:2:4: executing "cfg" at <split>: wrong number of args for split: want 2 got 1'],
    ['{{ .NAME.x }}', 'cfg:1:4: executing "cfg" at <.NAME.x>: can\'t evaluate field x in type string'],
    ['{{ template "t" }}', 'cfg:1:13: executing "cfg" at <template "t">: template "t" not defined'],
    ['{{ loop "x" }}', 'cfg:1:4: executing "cfg" at <loop>: error calling loop: strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [text, message] of cases) {
    const e = templateError(() => renderTemplate(text, env, { name: 'cfg' }));
    assert.equal(e.message, message);
    assert.equal(e.templateName, 'cfg');
    const [, line, column] = /^cfg:(\d+):(\d+):/.exec(message)!;
    assert.equal(e.line, Number(line));
    assert.equal(e.column, Number(column));
  }
});

test('caller functions extend and override the function map', () => {
  const catalog = { web: [goStruct('service', { Address: '10.0.0.5', Port: 80, ID: 'web-1', Tags: ['blue'] })] };
  const funcs = {
    service: withSig({ params: ['string'], variadic: 'string' }, (name: string) => catalog[name as 'web'] ?? []),
    upper: (s: unknown) => String(s).toUpperCase(),
    env: withSig({ params: ['string'] }, (name: string) => `env:${name}`),
    fail: () => { throw new FuncError('no catalog'); },
    half: (n: unknown) => (n as number) / 2,
  };
  const text = '{{ range service "web" }}{{ .Address }}:{{ .Port }} {{ index .Tags 0 | upper }}{{ end }}|{{ env "X" }}|{{ service "none" | len }}|{{ half 3 }}';
  assert.equal(renderTemplate(text, {}, { funcs }), '10.0.0.5:80 BLUE|env:X|0|1.5');
  assert.match(templateError(() => renderTemplate('{{ service }}', {}, { funcs })).message, /wrong number of args for service: want at least 1 got 0/);
  assert.match(templateError(() => renderTemplate('{{ fail }}', {}, { funcs })).message, /error calling fail: no catalog/);
  assert.match(templateError(() => renderTemplate('{{ (service "web" | len).X }}', {}, { funcs })).message, /can't evaluate field X in type int/);
  assert.match(templateError(() => renderTemplate('{{ range service "web" }}{{ .Nope }}{{ end }}', {}, { funcs })).message,
    /can't evaluate field Nope in type service/);
});

test('the env function reads the env option, else the data', () => {
  assert.equal(render('{{ env "USER" }}'), 'pilot');
  assert.equal(render('{{ env "USER" }}|{{ env "toString" }}', env, { env: { USER: 'other' } }), 'other|');
});

test('values: Map, GoFloat, structs print like Go', () => {
  const data = { m: new Map([['b', 2], ['a', 1]]), f: new GoFloat(2), s: goStruct('T', { A: 'x', B: [1, 2] }) };
  assert.equal(render('{{ .m }} {{ .m.a }} {{ .f }} {{ printf "%v %T" .f .f }} {{ .s }} {{ printf "%+v" .s }}', data),
    'map[a:1 b:2] 1 2 2 float64 {x [1 2]} {A:x B:[1 2]}');
});

test('execution limits raise TemplateError', () => {
  assert.match(templateError(() => render('{{ range 1000 }}.{{ end }}', env, { limits: { maxSteps: 500 } })).message, /exceeded 500 steps/);
  assert.match(templateError(() => render('{{ range 1000 }}..........{{ end }}', env, { limits: { maxOutput: 100 } })).message, /output exceeded 100 characters/);
  assert.match(templateError(() => render('{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}')).message, /exceeded maximum template depth/);
});
