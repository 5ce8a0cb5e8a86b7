/** Writes a config tree as readable JSON5, with comment lines attached to paths ("jobs[0]", "telemetry"). */

export type Notes = Map<string, string[]>;

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function emitJson5(tree: unknown, notes: Notes = new Map()): string {
  const head = (notes.get('') ?? []).map((l) => `// ${l}\n`).join('');
  return head + value(tree, '', '', notes) + '\n';
}

function value(v: unknown, path: string, indent: string, notes: Notes): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inline = `[${v.map((x) => value(x, '', '', notes)).join(', ')}]`;
    const hasNotes = v.some((_, i) => notes.has(`${path}[${i}]`));
    if (v.every((x) => x === null || typeof x !== 'object') && !hasNotes && inline.length + indent.length < 90) return inline;
    const inner = indent + '  ';
    const items = v.map((x, i) => comments(notes.get(`${path}[${i}]`), inner) + inner + value(x, `${path}[${i}]`, inner, notes));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    const items = entries.map(([k, x]) => {
      const p = path ? `${path}.${k}` : k;
      return comments(notes.get(p), inner) + inner + (IDENT.test(k) ? k : JSON.stringify(k)) + ': ' + value(x, p, inner, notes);
    });
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  if (typeof v === 'string') return str(v);
  return JSON.stringify(v) ?? 'null';
}

/** Strings holding double quotes (often Go templates) are single-quoted so templates stay readable. */
function str(s: string): string {
  if (s.includes('"') && !s.includes("'")) {
    return `'${s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
  }
  return JSON.stringify(s);
}

function comments(lines: string[] | undefined, indent: string): string {
  return (lines ?? []).map((l) => `${indent}// ${l}\n`).join('');
}
