/**
 * A reader for the Prometheus text format, enough to check what `/metrics` serves: samples keyed
 * by `name{labels}` exactly as written, plus each family's TYPE and HELP.
 */
export interface Exposition {
  samples: Map<string, number>;
  types: Map<string, string>;
  help: Map<string, string>;
}

export function parsePrometheusText(text: string): Exposition {
  const out: Exposition = { samples: new Map(), types: new Map(), help: new Map() };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (TYPE|HELP) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'TYPE' ? out.types : out.help).set(meta[2]!, meta[3]!);
      continue;
    }
    const sample = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    out.samples.set(sample[1]!, Number(sample[2]));
  }
  return out;
}
