// A Pike VM for Go regexps: linear-time matching (no backtracking, so no pattern can hang),
// leftmost-first submatches like Go's regexp, over code points.
import { type CharSet, type ReNode, RegexError, parseRegex } from './re-parse.js';

type Inst =
  | { op: 'set'; set: CharSet }
  | { op: 'assert'; kind: 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'nonword' }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'match' };

const MAX_PROGRAM = 200_000;

function inSet(s: CharSet, cp: number): boolean {
  const test = (c: number): boolean => {
    for (const [lo, hi] of s.ranges) if (c >= lo && c <= hi) return true;
    if (s.preds.length) {
      const ch = String.fromCodePoint(c);
      return s.preds.some((p) => p(ch));
    }
    return false;
  };
  let hit = test(cp);
  if (!hit && s.fold) {
    const ch = String.fromCodePoint(cp);
    // Case variants, two steps deep, approximating Unicode's fold orbits (ſ -> S -> s).
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    for (const v of [lower, upper, upper.toLowerCase(), lower.toUpperCase()]) {
      const vc = v.codePointAt(0)!;
      if ([...v].length === 1 && vc !== cp && test(vc)) { hit = true; break; }
    }
  }
  return hit !== s.neg;
}

/** Whether a node can match the empty string. */
function nullable(n: ReNode): boolean {
  switch (n.t) {
    case 'set': return false;
    case 'assert': return true;
    case 'cat': return n.items.every(nullable);
    case 'alt': return n.items.some(nullable);
    case 'group': return nullable(n.node);
    case 'rep': return n.min === 0 || nullable(n.node);
  }
}

function compile(root: ReNode): Inst[] {
  const prog: Inst[] = [];
  const emit = (inst: Inst): number => {
    if (prog.length >= MAX_PROGRAM) throw new RegexError('error parsing regexp: expression too large');
    prog.push(inst);
    return prog.length - 1;
  };
  const gen = (n: ReNode): void => {
    switch (n.t) {
      case 'set': emit({ op: 'set', set: n.set }); return;
      case 'assert': emit({ op: 'assert', kind: n.kind }); return;
      case 'cat': n.items.forEach(gen); return;
      case 'group':
        if (n.cap >= 0) emit({ op: 'save', n: 2 * n.cap });
        gen(n.node);
        if (n.cap >= 0) emit({ op: 'save', n: 2 * n.cap + 1 });
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = emit({ op: 'split', x: 0, y: 0 });
            (prog[split] as { x: number }).x = prog.length;
            gen(item);
            jumps.push(emit({ op: 'jmp', x: 0 }));
            (prog[split] as { y: number }).y = prog.length;
          } else gen(item);
        });
        for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
        return;
      }
      case 'rep': {
        // Go's simplification: x{n,} = x^(n-1) x+, x{n,m} = x^n (x(x)?)?; then its compiler.
        const { node, min, max, greedy } = n;
        if (max === Infinity) {
          for (let k = 0; k < min - 1; k++) gen(node);
          if (min === 0) star(node, greedy);
          else plus(node, greedy);
          return;
        }
        for (let k = 0; k < min; k++) gen(node);
        const splits: number[] = [];
        for (let k = min; k < max; k++) {
          splits.push(emit({ op: 'split', x: prog.length + 1, y: 0 }));
          gen(node);
        }
        for (const sp of splits) setSplit(sp, (prog[sp] as { x: number }).x, prog.length, greedy);
      }
    }
  };
  const setSplit = (at: number, body: number, out: number, greedy: boolean): void => {
    Object.assign(prog[at]!, greedy ? { x: body, y: out } : { x: out, y: body });
  };
  // x+ : L: x; split(L, out)
  const plus = (node: ReNode, greedy: boolean): void => {
    const start = prog.length;
    gen(node);
    const sp = emit({ op: 'split', x: 0, y: 0 });
    setSplit(sp, start, prog.length, greedy);
  };
  // x* : L: split(x, out); x; jmp L — or (x+)? when x can match empty, as Go compiles it.
  const star = (node: ReNode, greedy: boolean): void => {
    const sp = emit({ op: 'split', x: 0, y: 0 });
    if (nullable(node)) plus(node, greedy);
    else {
      gen(node);
      emit({ op: 'jmp', x: sp });
    }
    setSplit(sp, sp + 1, prog.length, greedy);
  };
  gen(root);
  emit({ op: 'match' });
  return prog;
}

const isWord = (cp: number | undefined): boolean =>
  cp !== undefined && ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || cp === 95 || (cp >= 97 && cp <= 122));

export class GoRegexp {
  private readonly prog: Inst[];
  readonly groups: number;
  /** Group numbers by name (Go allows a name more than once). */
  readonly names: Map<string, number[]>;

  constructor(src: string) {
    const parsed = parseRegex(src);
    this.prog = compile({ t: 'group', cap: 0, node: parsed.node });
    this.groups = parsed.groups;
    this.names = parsed.names;
  }

  /**
   * Leftmost-first match in `text` (code points) starting the search at `from`; returns capture
   * positions [start0, end0, start1, end1, ...] (-1 when unset) or null.
   */
  exec(text: number[], from: number): number[] | null {
    const prog = this.prog;
    const nslots = 2 * (this.groups + 1);
    let clist: { pc: number; caps: number[] }[] = [];
    let matched: number[] | null = null;
    const holds = (kind: string, pos: number): boolean => {
      const prev = text[pos - 1];
      const next = text[pos];
      switch (kind) {
        case 'bot': return pos === 0;
        case 'eot': return pos === text.length;
        case 'bol': return pos === 0 || prev === 10;
        case 'eol': return pos === text.length || next === 10;
        case 'word': return isWord(prev) !== isWord(next);
        default: return isWord(prev) === isWord(next);
      }
    };
    // Visited marks per step: a generation number per instruction avoids clearing an array each step.
    const mark = new Int32Array(prog.length);
    let gen = 0;
    const add = (list: { pc: number; caps: number[] }[], pc: number, caps: number[], pos: number): void => {
      // Explicit stack instead of recursion: epsilon chains can be long.
      const stack: [number, number[]][] = [[pc, caps]];
      while (stack.length) {
        const [p, c] = stack.pop()!;
        if (mark[p] === gen) continue;
        mark[p] = gen;
        const inst = prog[p]!;
        switch (inst.op) {
          case 'jmp': stack.push([inst.x, c]); break;
          case 'split': stack.push([inst.y, c], [inst.x, c]); break;
          case 'save': { const nc = c.slice(); nc[inst.n] = pos; stack.push([p + 1, nc]); break; }
          case 'assert': if (holds(inst.kind, pos)) stack.push([p + 1, c]); break;
          default: list.push({ pc: p, caps: c });
        }
      }
    };
    gen = 1;
    for (let pos = from; pos <= text.length; pos++) {
      if (matched === null) {
        gen++;
        for (const t of clist) mark[t.pc] = gen;
        add(clist, 0, new Array<number>(nslots).fill(-1), pos);
      }
      if (clist.length === 0) {
        if (matched !== null) break;
        continue;
      }
      const nlist: { pc: number; caps: number[] }[] = [];
      gen++;
      const cp = text[pos];
      for (const t of clist) {
        const inst = prog[t.pc]!;
        if (inst.op === 'match') {
          matched = t.caps;
          break; // Lower-priority threads lose to this match.
        }
        if (inst.op === 'set' && cp !== undefined && inSet(inst.set, cp)) add(nlist, t.pc + 1, t.caps, pos + 1);
      }
      clist = nlist;
    }
    return matched;
  }
}
