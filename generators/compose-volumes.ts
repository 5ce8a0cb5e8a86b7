/**
 * Declares a named volume in docker-compose.yml's top-level `volumes:`, creating the key when the
 * file has none. Like compose-patch.ts, it splices text so every other byte stays the user's,
 * and falls back to a re-print by `yaml` (comments kept) only for layouts it cannot splice.
 */
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import { ComposeError, insertIntoFlowMap } from './compose-patch.js';

type Range = [number, number, number];

function load(text: string, file: string): Document {
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) throw new ComposeError(`${file}: ${err.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new ComposeError(`${file}: expected a mapping at the top level`);
  return doc;
}

const volumesJson = (doc: Document): unknown => (doc.contents as YAMLMap).toJSON()?.['volumes'] ?? null;

/** Adds `name:` (an empty volume definition) under the top-level `volumes:`; unchanged if declared. */
export function addComposeVolume(text: string, name: string, file = 'docker-compose.yml'): string {
  const doc = load(text, file);
  const top = doc.contents as YAMLMap;
  const volumes = top.get('volumes', true);
  const declared = isMap(volumes) && volumes.has(name);
  if (declared) return text;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let out: string | undefined;
  if (volumes === undefined) {
    out = `${text}${text.endsWith('\n') || text === '' ? '' : nl}${nl}volumes:${nl}  ${name}:${nl}`;
  } else if (isMap(volumes) && volumes.flow) {
    out = insertIntoFlowMap(text, volumes, [`${name}: null`]);
  } else if (isMap(volumes) && volumes.items.length > 0) {
    const first = (volumes.items[0]!.key as { range?: Range }).range;
    const last = volumes.items[volumes.items.length - 1]!;
    const end = (last.value as { range?: Range } | null)?.range?.[1] ?? (last.key as { range?: Range }).range?.[2];
    if (first && end !== undefined) {
      const indent = ' '.repeat(first[0] - (text.lastIndexOf('\n', first[0] - 1) + 1));
      const at = text[end - 1] === '\n' ? end : text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
      const head = text.slice(0, at) + (at === text.length && !text.endsWith('\n') ? nl : '');
      out = `${head}${indent}${name}:${nl}${text.slice(at)}`;
    }
  }
  // Keep the splice only if it means exactly "the old volumes plus this one".
  const expected = { ...((volumesJson(doc) as Record<string, unknown> | null) ?? {}), [name]: null };
  if (out !== undefined && JSON.stringify(volumesJson(load(out, file))) === JSON.stringify(expected)) return out;
  if (isScalar(volumes) && volumes.value === null) top.set('volumes', doc.createNode({ [name]: null }));
  else if (isMap(volumes)) volumes.set(name, null);
  else if (volumes === undefined) top.set('volumes', doc.createNode({ [name]: null }));
  else throw new ComposeError(`${file}: "volumes" must be a mapping`);
  return doc.toString({ lineWidth: 0 });
}
