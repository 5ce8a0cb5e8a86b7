/**
 * Where `__complete` finds its values: the blueprints, the databases, and the services of the
 * project in a folder (read as `add` reads them). Nothing here may throw: a half-written compose
 * file or an unreadable folder just means no candidates.
 */
import { BLUEPRINTS, DATABASE_KINDS } from '../../blueprints/index.js';
import { projectReader } from '../../generators/cli-support.js';
import { readProject } from '../../generators/project.js';
import { ADD_KINDS } from '../add-help.js';
import type { Sources } from './candidates.js';
import { SHELLS } from './index.js';

function quietly(fn: () => string[]): string[] {
  try {
    return fn();
  } catch {
    return [];
  }
}

export const diskSources: Sources = {
  blueprints: () => BLUEPRINTS.map((b) => b.name),
  services: (dir) => quietly(() => readProject(projectReader(dir)).services),
  supervisedServices: (dir) =>
    quietly(() => {
      const read = projectReader(dir);
      return readProject(read).services.filter((s) => read(`${s}/containerpilot.json5`) !== undefined);
    }),
  shells: SHELLS,
  addKinds: ADD_KINDS,
  databases: DATABASE_KINDS,
};
