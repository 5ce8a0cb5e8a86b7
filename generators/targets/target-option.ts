/** `--target compose|swarm` as the command line gives it, and what to do next on a swarm. */
import { suggest } from '../../base/suggest.js';
import { GeneratorError } from '../errors.js';
import { TARGETS, type Target } from './swarm.js';

export function parseTarget(value: unknown): Target {
  if (value === undefined) return 'compose';
  const target = String(value);
  if ((TARGETS as readonly string[]).includes(target)) return target as Target;
  const near = suggest(target, [...TARGETS]);
  throw new GeneratorError(`--target ${target}: expected ${TARGETS.join(' or ')}${near ? ` (did you mean "${near}"?)` : ''}`);
}

/** Building, pushing and deploying the stack (the first step only sets where images go). */
export function swarmNextSteps(project: string): string[] {
  return [
    'export REGISTRY=registry.example.com/   # where every node pulls from',
    'docker compose -f docker-stack.yml build && docker compose -f docker-stack.yml push',
    `docker stack deploy -c docker-stack.yml ${project}`,
  ];
}
