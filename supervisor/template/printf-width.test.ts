// printf's width counts runes (as Go's fmt does), and an operand long enough to fill the width
// is not counted at all: a megabytes-long operand formats in linear time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate } from './index.js';

test('printf width pads by runes, around the point where the count is skipped', () => {
  const cases: Array<[string, string]> = [
    ['{{ printf "%4s|" "\u{1F600}\u{1F600}" }}', '  \u{1F600}\u{1F600}|'],
    ['{{ printf "%2s|" "\u{1F600}\u{1F600}" }}', '\u{1F600}\u{1F600}|'],
    ['{{ printf "%3s|" "\u{1F600}" }}', '  \u{1F600}|'],
    ['{{ printf "%-3s|" "éé" }}', 'éé |'],
    ['{{ printf "%2s|" "abcd" }}', 'abcd|'],
    ['{{ printf "%05d|" 42 }}', '00042|'],
  ];
  for (const [template, want] of cases) assert.equal(renderTemplate(template, {}), want, template);
});

test('printf of an operand of millions of characters keeps every character', () => {
  const out = renderTemplate('{{ $x := "ab" }}' + '{{ $x = printf "%s%s" $x $x }}'.repeat(22) + '{{ len $x }} {{ printf "%9s" "é" }}', {});
  assert.equal(out, `${2 * 2 ** 22}         é`);
});
