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

/** The service names declared in a compose file. */
export function composeServiceNames(text: string, file = 'docker-compose.yml'): string[] {
  const services = servicesMap(load(text, file), false);
  return services ? services.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
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

/** Adds service `name` whose body is the YAML mapping `fragment`; the rest of the file is kept. */
export function addComposeService(text: string, name: string, fragment: string, file = 'docker-compose.yml'): string {
  const doc = load(text, file);
  const services = servicesMap(doc, true)!;
  if (services.has(name)) throw new ComposeError(`${file}: service "${name}" already exists`);
  const body = load(fragment, `${name} compose fragment`).contents;
  const key = doc.createNode(name);
  // A blank line between services, as people write them.
  if (services.items.length > 0) key.spaceBefore = true;
  services.set(key, body);
  return doc.toString({ lineWidth: 0 });
}
