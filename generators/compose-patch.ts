/**
 * docker-compose.yml edits through the `yaml` Document API, which keeps the user's comments,
 * quoting and key order. Handles the current format (`services:`) and the legacy one (services
 * at the top level).
 */
import { GeneratorError } from './errors.js';
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';

export class ComposeError extends GeneratorError {}

function load(text: string, file: string): Document {
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new ComposeError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${err.message.split('\n')[0]}`);
  }
  return doc;
}

/** The map holding the services: `services:` when present (or the file is empty), else the root. */
function servicesMap(doc: Document, create: boolean): YAMLMap | undefined {
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    if (!create) return undefined;
    doc.contents = doc.createNode({ services: {} }) as unknown as typeof doc.contents;
  }
  if (!isMap(doc.contents)) throw new ComposeError('docker-compose.yml: expected a mapping at the top level');
  const top = doc.contents;
  const services = top.get('services', true);
  if (services !== undefined && !(isScalar(services) && services.value === null)) {
    if (!isMap(services)) throw new ComposeError('docker-compose.yml: "services" must be a mapping');
    return services;
  }
  if (top.has('services') || top.has('version')) {
    if (!create) return undefined;
    const fresh = doc.createNode({}) as YAMLMap;
    top.set('services', fresh);
    return fresh;
  }
  return top;
}

/** True for the legacy format: services at the top level, no `services:` or `version:` key. */
export function isLegacyCompose(text: string, file = 'docker-compose.yml'): boolean {
  const doc = load(text, file);
  return isMap(doc.contents) && !doc.contents.has('services') && !doc.contents.has('version');
}

function serviceNames(doc: Document): string[] {
  const services = servicesMap(doc, false);
  return services ? services.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
}

/** The service names declared in a compose file. */
export function composeServiceNames(text: string, file = 'docker-compose.yml'): string[] {
  return serviceNames(load(text, file));
}

/** Host ports published by any service (`"80:80"`, `8080:80/tcp`, `127.0.0.1:80:80`, long form). */
export function composePublishedPorts(text: string, file = 'docker-compose.yml'): Map<number, string> {
  const out = new Map<number, string>();
  const services = servicesMap(load(text, file), false);
  for (const pair of services?.items ?? []) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() as { ports?: unknown[] } | undefined;
    for (const p of value?.ports ?? []) {
      const host = typeof p === 'object' && p !== null ? (p as { published?: unknown }).published : String(p).split(':').slice(-2, -1)[0];
      if (host !== undefined && /^\d+$/.test(String(host))) out.set(Number(host), name);
    }
  }
  return out;
}

/** Where a new service entry goes in the text, and how the file indents. */
interface Spot {
  at: number;
  indent: string;
  unit: string;
  blankLine: boolean;
  /** Text to put first (a `services:` line when the file has none). */
  prefix: string;
}

const column = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);

function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function findSpot(doc: Document, text: string): Spot | undefined {
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { at: text.length, indent: '  ', unit: '  ', blankLine: false, prefix: 'services:\n' };
  if (!isMap(root)) return undefined;
  const services = root.get('services', true);
  const legacy = services === undefined && !root.has('version');
  const map = legacy ? root : services;
  if (isScalar(map) && map.value === null) {
    const key = root.items.find((p) => isScalar(p.key) && p.key.value === 'services')!.key as { range?: [number, number, number] };
    return key.range ? { at: lineEnd(text, key.range[2]), indent: '  ', unit: '  ', blankLine: false, prefix: '' } : undefined;
  }
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const firstKey = map.items[0]!.key as { range?: [number, number, number] };
  const last = map.items[map.items.length - 1]!;
  const lastEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? (last.key as { range?: [number, number, number] }).range?.[2];
  if (!firstKey.range || lastEnd === undefined) return undefined;
  const indentCol = column(text, firstKey.range[0]);
  // The indent unit: how far the first service's own keys sit from its name.
  const inner = map.items.map((p) => p.value).find((v): v is YAMLMap => isMap(v) && !v.flow && v.items.length > 0);
  const innerKey = inner?.items[0]?.key as { range?: [number, number, number] } | undefined;
  const unitCol = innerKey?.range ? column(text, innerKey.range[0]) - indentCol : 2;
  return { at: lineEnd(text, lastEnd), indent: ' '.repeat(indentCol), unit: ' '.repeat(unitCol > 0 ? unitCol : 2), blankLine: true, prefix: '' };
}

/** Re-indents a 2-space fragment to the file's indent unit, under `base`. */
function reindent(fragment: string, base: string, unit: string): string {
  return fragment
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const lead = /^ */.exec(line)![0].length;
      return base + unit.repeat(Math.floor(lead / 2)) + ' '.repeat(lead % 2) + line.slice(lead);
    })
    .join('\n');
}

export interface ComposeServiceEntry {
  name: string;
  /** The service's body: a YAML mapping indented by 2 spaces. */
  fragment: string;
}

/**
 * Adds service `name` whose body is the YAML mapping `fragment`. The entry is spliced into the
 * text at the end of the services (found through the Document API's node ranges), so every other
 * byte stays as the user wrote it (a flow-style map gets flow entries); when the layout is
 * unusual the document is re-printed by `yaml`, which still keeps comments.
 */
export function addComposeService(text: string, name: string, fragment: string, file = 'docker-compose.yml'): string {
  return addComposeServices(text, [{ name, fragment }], file);
}

/**
 * Adds several services, in order, as `addComposeService` one after another would, but parses the
 * file once and checks the result once (a new project adds all its services to an empty file).
 */
export function addComposeServices(text: string, entries: readonly ComposeServiceEntry[], file = 'docker-compose.yml'): string {
  const doc = load(text, file);
  const names = serviceNames(doc);
  const bodies = entries.map(({ name, fragment }) => {
    if (names.includes(name)) throw new ComposeError(`${file}: service "${name}" already exists`);
    names.push(name);
    return load(fragment, `${name} compose fragment`).contents;
  });
  const flow = flowSplice(doc, text, entries.map(({ name }, i) => [name, (bodies[i] as { toJSON(): unknown }).toJSON()]));
  const spot = flow === undefined ? findSpot(doc, text) : undefined;
  if (flow !== undefined || spot) {
    const out = flow ?? blockSplice(text, spot!, entries);
    // Keep the splice only if it means exactly "the old file plus these services".
    const expected = servicesJson(doc);
    entries.forEach(({ name }, i) => (expected[name] = (bodies[i] as { toJSON(): unknown }).toJSON()));
    const got = servicesJson(load(out, file));
    if (JSON.stringify(got) === JSON.stringify(expected)) return out;
  }
  const services = servicesMap(doc, true)!;
  entries.forEach(({ name }, i) => {
    const key = doc.createNode(name);
    if (services.items.length > 0) key.spaceBefore = true;
    services.set(key, bodies[i]);
  });
  return doc.toString({ lineWidth: 0 });
}

function blockSplice(text: string, spot: Spot, entries: readonly ComposeServiceEntry[]): string {
  const head = text.slice(0, spot.at) + (spot.at > 0 && !text.slice(0, spot.at).endsWith('\n') ? '\n' : '');
  // After the first entry the file has services in the detected layout: each further one
  // follows the previous, after a blank line.
  const block = entries
    .map(({ name, fragment }, i) => `${i === 0 && !spot.blankLine ? '' : '\n'}${i === 0 ? spot.prefix : ''}${spot.indent}${name}:\n${reindent(fragment, spot.indent + spot.unit, spot.unit)}\n`)
    .join('');
  return head + block + text.slice(spot.at);
}

/** A flow-style `services: {...}` gets the new services as flow entries (JSON is flow YAML). */
function flowSplice(doc: Document, text: string, entries: Array<[string, unknown]>): string | undefined {
  const map = servicesMap(doc, false);
  if (!map?.flow) return undefined;
  return insertIntoFlowMap(text, map, entries.map(([name, body]) => `${name}: ${JSON.stringify(body)}`));
}

/**
 * Adds `entries` (flow YAML `key: value` text) to the flow map `map` right after its last entry,
 * or just inside its `{` when empty, so the user's text (comments inside included) stays as written.
 */
export function insertIntoFlowMap(text: string, map: YAMLMap, entries: string[]): string | undefined {
  if (!map.range) return undefined;
  const last = map.items[map.items.length - 1];
  const lastEnd = last && ((last.value as { range?: number[] } | null)?.range?.[1] ?? (last.key as { range?: number[] }).range?.[1]);
  if (lastEnd !== undefined) return `${text.slice(0, lastEnd)}, ${entries.join(', ')}${text.slice(lastEnd)}`;
  const open = text.indexOf('{', map.range[0]);
  return `${text.slice(0, open + 1)} ${entries.join(', ')}${text.slice(open + 1)}`;
}

function servicesJson(doc: Document): Record<string, unknown> {
  const map = servicesMap(doc, false);
  return map ? (map.toJSON() as Record<string, unknown>) ?? {} : {};
}

/**
 * For Consul agents in the other containers (`--consul-agent`, the swarm target's compose file):
 * the generated server (`consul agent -dev`) gossips on loopback only, so they could not join;
 * `-bind 0.0.0.0` opens it to the compose network. A command the user changed is left alone,
 * with a note.
 */
export function agentsCanJoin(compose: string, notes: string[]): string {
  const generated = /^(\s*command: consul agent -dev -client 0\.0\.0\.0)$/m;
  if (/^\s*command: consul agent\b.*-bind\b/m.test(compose)) return compose;
  if (generated.test(compose)) return compose.replace(generated, '$1 -bind 0.0.0.0');
  notes.push('the consul service must gossip on the compose network for the agents to join: give its command -bind 0.0.0.0');
  return compose;
}
