/**
 * Adds a member to one job of a ContainerPilot config (`when` on the job that should wait for a
 * backend), keeping every other byte of the file, comments included.
 */
import { appendItem, describe, Json5PatchError, parseJson5 } from './json5-patch.js';
import { detectStyle, formatJson5, formatKey } from './json5-format.js';
import { scanContainer, scanRoot } from './json5-scan.js';

/**
 * Sets `key: value` on the job named `job` when it has no `key` yet. Returns the new text, or
 * undefined when the job already has the key (the caller reports what it left alone).
 */
export function addJobMember(text: string, job: string, key: string, value: unknown, file: string): string | undefined {
  parseJson5(text, file);
  try {
    const style = detectStyle(text);
    const jobs = scanRoot(text).members.find((m) => m.key === 'jobs');
    if (!jobs || text[jobs.value.start] !== '[') throw new Json5PatchError(`${file}: no "jobs" array`);
    for (const item of scanContainer(text, jobs.value.start).items) {
      if (text[item.start] !== '{') continue;
      const object = scanContainer(text, item.start);
      const name = object.members.find((m) => m.key === 'name');
      if (!name || parseJson5(text.slice(name.value.start, name.value.end), file) !== job) continue;
      if (object.members.some((m) => m.key === key)) return undefined;
      return appendItem(text, object, `${formatKey(key, style)}: ${formatJson5(value, style)}`, style);
    }
    throw new Json5PatchError(`${file}: no job named "${job}"`);
  } catch (err) {
    if (err instanceof Json5PatchError) throw err;
    throw describe(text, file, err);
  }
}
