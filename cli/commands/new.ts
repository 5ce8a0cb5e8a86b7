/**
 * `autopilot new <blueprint> [dir]`: scaffolds a blueprint into a directory. Asks (on a terminal)
 * only for what it cannot default: the blueprint, and the directory when none is given.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { suggest } from '../../base/suggest.js';
import { BLUEPRINTS, findBlueprint } from '../../blueprints/index.js';
import { applyAndReport, ask, canPrompt, printJson, printNextSteps, userErrors, type Opts } from '../../generators/cli-support.js';
import { planNew } from '../../generators/plan-new.js';
import { NAME_PATTERN, suggestName } from '../../generators/project.js';
import { shellQuote } from '../../generators/shell-quote.js';
import { parseTarget, swarmNextSteps } from '../../generators/targets/target-option.js';
import { color } from '../../base/colors.js';
import { UserError } from '../../base/errors.js';
import { supervisorSource } from '../supervisor-source.js';

const names = () => BLUEPRINTS.map((b) => b.name).join(', ');

function isNonEmptyDir(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) throw new UserError(`${path} exists and is not a directory`);
    return readdirSync(path).length > 0;
  } catch (err) {
    // ENOTDIR (a parent is a file): the applier's mkdir reports it as a write error, exit 73.
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return false;
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
  if (!blueprint) {
    const near = suggest(blueprintName, BLUEPRINTS.map((b) => b.name));
    throw new UserError(`unknown blueprint "${blueprintName}"${near ? ` (did you mean "${near}"?)` : ''}; blueprints: ${names()}`);
  }

  let dir = dirArg;
  if (dir === undefined) {
    dir = interactive
      ? await ask<string>({ type: 'text', message: 'Project directory', initial: blueprint.name, validate: (v: string) => validDirAnswer(v, typeof o['name'] === 'string') })
      : blueprint.name;
    dir = dir.trim();
  }
  const target = resolve(dir);
  const named = typeof o['name'] === 'string';
  const project = named ? String(o['name']) : basename(target);
  if (!NAME_PATTERN.test(project)) throw new UserError(invalidProject(project, named));
  if (isNonEmptyDir(target) && !o['force']) throw new UserError(`${dir} is not empty (use --force to write into it; existing files are kept unless the blueprint has them)`);

  const deployTarget = userErrors(() => parseTarget(o['target']));
  const ops = userErrors(() => planNew({ blueprint, project, target: deployTarget, ...supervisorSource(Boolean(o['vendor'])), consulAgent: Boolean(o['consulAgent']) }));
  const cd = relative(process.cwd(), target) || '.';
  const steps = deployTarget === 'swarm' ? swarmNextSteps(project) : blueprint.nextSteps;
  const nextSteps = [...(cd === '.' ? [] : [`cd ${shellQuote(cd)}`]), ...steps, 'cat README.md   # scale and verify'];
  if (!o['json']) process.stdout.write(`${o['dryRun'] ? 'Would scaffold' : 'Scaffolding'} ${color.bold(blueprint.name)} in ${color.bold(dir)}\n`);
  const { written, files } = await applyAndReport(ops, { ...o, dir: target });
  if (o['json']) printJson({ command: 'new', dryRun: !written, blueprint: blueprint.name, project, dir: target, files, nextSteps });
  else if (written) printNextSteps(`Done: ${ops.length} files in ${dir}.`, nextSteps);
  return 0;
}

/** The prompt's check: a directory whose name can be the project's (unless --name gives one). */
function validDirAnswer(answer: string, named: boolean): true | string {
  if (!answer.trim()) return 'a directory name, please';
  const name = basename(resolve(answer.trim()));
  return named || NAME_PATTERN.test(name) ? true : `lowercase letters, digits and "-", starting with a letter, e.g. ${suggestName(name)}`;
}

/** Names the valid name to use instead, and how: --name, or a directory of that name. */
function invalidProject(project: string, named: boolean): string {
  const valid = suggestName(project);
  const rule = 'use lowercase letters, digits and "-", starting with a letter';
  if (named) return `invalid project name ${JSON.stringify(project)}: ${rule} (e.g. --name ${valid})`;
  return `invalid project name ${JSON.stringify(project)} (the directory's name): ${rule}; pass --name ${valid}, or use a directory named ${valid}`;
}
