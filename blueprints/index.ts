import { helloWorld } from './hello-world.js';
import { todoApi } from './todo-api.js';
import type { Blueprint } from './types.js';

export type { Blueprint, Component, ServiceSpec } from './types.js';
export { DATABASES, DATABASE_KINDS, isDatabaseKind, type DatabaseKind } from './databases.js';

/** Every blueprint `autopilot new` knows, in the order the prompt lists them. */
export const BLUEPRINTS: readonly Blueprint[] = [helloWorld, todoApi];

export function findBlueprint(name: string): Blueprint | undefined {
  return BLUEPRINTS.find((b) => b.name === name);
}
