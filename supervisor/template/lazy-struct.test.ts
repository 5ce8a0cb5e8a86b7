// Lazy structs read, print and compare exactly as the equivalent goStruct, and compute each
// field at most once, only when read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goStruct, lazyStructs, renderTemplate } from './index.js';

const FIELDS = ['Name', 'Port', 'Tags', 'Inner'];
function make(counter: Map<string, number>) {
  return lazyStructs<{ name: string; port: number }>({
    typeName: 'x.Svc',
    fields: FIELDS,
    compute: (s, f) => {
      counter.set(f, (counter.get(f) ?? 0) + 1);
      if (f === 'Name') return s.name;
      if (f === 'Port') return s.port;
      if (f === 'Tags') return ['a', 'b'];
      return goStruct('x.Inner', { On: true });
    },
  });
}
/** The output, or the error text: both must match. */
function outcome(text: string, data: unknown): string {
  try {
    return renderTemplate(text, data);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}
const eager = (name: string, port: number) => goStruct('x.Svc', { Name: name, Port: port, Tags: ['a', 'b'], Inner: goStruct('x.Inner', { On: true }) });

test('a lazy struct renders as the same goStruct would', () => {
  const texts = [
    '{{ range . }}{{ .Name }}:{{ .Port }};{{ end }}',
    '{{ . }}',
    '{{ printf "%v|%+v|%#v|%T" (index . 0) (index . 0) (index . 1) (index . 1) }}',
    '{{ eq (index . 0) (index . 0) }}',
    '{{ eq (index . 0).Inner (index . 1).Inner }}',
    '{{ with index . 1 }}{{ .Inner.On }} {{ len .Tags }}{{ end }}',
  ];
  for (const text of texts) {
    const lazy = make(new Map());
    assert.equal(outcome(text, [lazy({ name: 'a', port: 1 }), lazy({ name: 'b', port: 2 })]), outcome(text, [eager('a', 1), eager('b', 2)]), text);
  }
  assert.equal(JSON.stringify(make(new Map())({ name: 'a', port: 1 })), JSON.stringify(eager('a', 1)));
});

test('fields are computed once, when first read; unknown fields fail as for any struct', () => {
  const counter = new Map<string, number>();
  const s = make(counter)({ name: 'a', port: 1 });
  assert.equal(renderTemplate('{{ .Port }} {{ .Port }}', s), '1 1');
  assert.deepEqual([...counter], [['Port', 1]]);
  assert.throws(() => renderTemplate('{{ .Nope }}', s), /can't evaluate field Nope in type x\.Svc/);
  assert.throws(() => renderTemplate('{{ .toString }}', s), /can't evaluate field toString/);
});
