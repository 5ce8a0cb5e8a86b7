// Where a process's resident memory lies, mapping by mapping (/proc/<pid>/smaps), and how it moved
// between two snapshots: a growth of RSS that the totals only show as a number gets a name (the
// executable's text, a library, the heap, a JIT region).
import { readFileSync } from 'node:fs';

/**
 * Rss (KiB) by mapping. Anonymous mappings without a name are keyed by their address range, so the
 * same region compares with itself; named ones (files, [heap], [stack]) are summed by name.
 */
export function smaps(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return new Map();
  }
  const out = new Map();
  let key;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const [, from, to, perms, name] = head;
      key = name === '' ? `anonymous ${perms} ${from}-${to}` : `${name} ${perms}`;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    if (rss && key !== undefined) out.set(key, (out.get(key) ?? 0) + Number(rss[1]));
  }
  return out;
}

/** The mappings whose Rss moved most from `before` to `after` (KiB), largest change first. */
export function smapsDelta(before, after, top = 8) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .map((key) => ({ key, before: before.get(key) ?? 0, after: after.get(key) ?? 0 }))
    .map((m) => ({ ...m, delta: m.after - m.before }))
    .filter((m) => m.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, top);
}
