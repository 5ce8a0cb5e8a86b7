/**
 * Sets a member of one job of a ContainerPilot config (`when` on the job that should wait for a
 * backend), keeping every other byte of the file, comments included.
 */
import { appendItem, describe, Json5PatchError, parseJson5 } from './json5-patch.js';
import { detectStyle, formatJson5, formatKey } from './json5-format.js';
import { type Container, scanContainer, scanRoot } from './json5-scan.js';

/**
 * Sets `key: value` on the job named `job` when it has no `key` yet. Returns the new text, or
 * undefined when the job already has the key (the caller reports what it left alone).
 */
export function addJobMember(text: string, job: string, key: string, value: unknown, file: string): string | undefined {
  return patchJob(text, job, file, (object) => {
    if (object.members.some((m) => m.key === key)) return undefined;
    const style = detectStyle(text);
    return appendItem(text, object, `${formatKey(key, style)}: ${formatJson5(value, style)}`, style);
  });
}

/** Replaces the value of `key` on the job named `job`, which has it; the rest stays as it was. */
export function replaceJobMember(text: string, job: string, key: string, value: unknown, file: string): string {
  return patchJob(text, job, file, (object) => {
    const member = object.members.find((m) => m.key === key);
    if (!member) throw new Json5PatchError(`${file}: job "${job}" has no "${key}"`);
    const lineStart = text.lastIndexOf('\n', member.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    // Continuation lines line up under the member, as a hand-written value would.
    const printed = formatJson5(value, detectStyle(text)).split('\n').join(`\n${indent}`);
    return text.slice(0, member.value.start) + printed + text.slice(member.value.end);
  })!;
}

function patchJob(text: string, job: string, file: string, edit: (object: Container) => string | undefined): string | undefined {
  parseJson5(text, file);
  try {
    const jobs = scanRoot(text).members.find((m) => m.key === 'jobs');
    if (!jobs || text[jobs.value.start] !== '[') throw new Json5PatchError(`${file}: no "jobs" array`);
    for (const item of scanContainer(text, jobs.value.start).items) {
      if (text[item.start] !== '{') continue;
      const object = scanContainer(text, item.start);
      const name = object.members.find((m) => m.key === 'name');
      if (!name || parseJson5(text.slice(name.value.start, name.value.end), file) !== job) continue;
      return edit(object);
    }
    throw new Json5PatchError(`${file}: no job named "${job}"`);
  } catch (err) {
    if (err instanceof Json5PatchError) throw err;
    throw describe(text, file, err);
  }
}
