/**
 * `autopilot new <blueprint> [dir]`: scaffolds a blueprint into a directory. Asks (on a terminal)
 * only for what it cannot default: the blueprint, and the directory when none is given.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { BLUEPRINTS, findBlueprint } from '../../blueprints/index.js';
import { applyAndReport, ask, canPrompt, printNextSteps, userErrors, type Opts } from '../../generators/cli-support.js';
import { planNew } from '../../generators/plan-new.js';
import { color } from '../colors.js';
import { UserError } from '../errors.js';
import { supervisorSource } from '../supervisor-source.js';

const names = () => BLUEPRINTS.map((b) => b.name).join(', ');

function isNonEmptyDir(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) throw new UserError(`${path} exists and is not a directory`);
    return readdirSync(path).length > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function newCommand(blueprintArg: string | undefined, dirArg: string | undefined, o: Opts): Promise<number> {
  const interactive = canPrompt(o);
  let blueprintName = blueprintArg;
  if (blueprintName === undefined) {
    if (!interactive) throw new UserError(`which blueprint? autopilot new <blueprint> [dir] (blueprints: ${names()})`);
    blueprintName = await ask<string>({
      type: 'select',
      message: 'Blueprint',
      choices: BLUEPRINTS.map((b) => ({ title: b.name, description: b.description, value: b.name })),
    });
  }
  const blueprint = findBlueprint(blueprintName);
  if (!blueprint) throw new UserError(`unknown blueprint "${blueprintName}" (blueprints: ${names()})`);

  let dir = dirArg;
  if (dir === undefined) {
    dir = interactive
      ? await ask<string>({ type: 'text', message: 'Project directory', initial: blueprint.name, validate: (v: string) => (v.trim() ? true : 'a directory name, please') })
      : blueprint.name;
    dir = dir.trim();
  }
  const target = resolve(dir);
  const project = typeof o['name'] === 'string' ? o['name'] : basename(target);
  if (/[\r\n]/.test(project)) throw new UserError('--name: the project name must fit on one line');
  if (isNonEmptyDir(target) && !o['force']) throw new UserError(`${dir} is not empty (use --force to write into it; existing files are kept unless the blueprint has them)`);

  const ops = userErrors(() => planNew({ blueprint, project, ...supervisorSource(Boolean(o['vendor'])) }));
  process.stdout.write(`${o['dryRun'] ? 'Would scaffold' : 'Scaffolding'} ${color.bold(blueprint.name)} in ${color.bold(dir)}\n`);
  if (!(await applyAndReport(ops, { ...o, dir: target }))) return 0;
  const cd = relative(process.cwd(), target) || '.';
  printNextSteps(`Done: ${ops.length} files in ${dir}.`, [...(cd === '.' ? [] : [`cd ${cd}`]), ...blueprint.nextSteps, 'cat README.md   # scale and verify']);
  return 0;
}
