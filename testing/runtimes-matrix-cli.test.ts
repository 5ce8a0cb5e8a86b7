/**
 * The one-shot commands give the same answers on Node, Bun, Deno and the single-file binary:
 * `new` writes byte-identical trees (same modes), `--version` prints package.json's version and
 * the build's commit, `validate` and `-template` print the same text with the same exit codes.
 * Node's output is the reference each other runtime is compared with.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureFiles, fixturePath } from './config-fixtures.js';
import { findBlueprint } from '../blueprints/index.js';
import { planNew } from '../generators/plan-new.js';
import { repoRoot } from './paths.js';
import { bareVersionText, versionText } from './build-version.js';
import { runCli, type CliResult } from './runtimes-process.js';
import { cliRuntime, RUNTIME_NAMES, type RuntimeName } from './runtimes.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** path -> "<octal mode> <content>" for every file under `root`. */
function readTree(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(root, path, out);
    else out[relative(root, path)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`;
  }
  return out;
}

let work: string;
const run = (rt: RuntimeName, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
  runCli(cliRuntime(rt), args, { cwd: work, env: { CONTAINERPILOT: undefined, ...env } });

/** A command's observable result, with the runtime's own scratch dir replaced by a placeholder. */
function shape(r: CliResult, scratch?: string): { code: number | null; stdout: string; stderr: string } {
  const clean = (s: string): string => (scratch ? s.split(scratch).join('<dir>') : s);
  return { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr) };
}

// Configs for validate/-template: our ContainerPilot-style fixtures, plus user mistakes.
const BAD_WHEN = '{ consul: "x:1", jobs: [ { name: "a", exec: "true", when: { once: "x", each: "y", source: "b" } } ] }\n';
const BAD_SYNTAX = '{\n  jobs: [\n    { name: "a", exec: "true" },\n    { name: "b", exec: "true" ]\n}\n';
const BAD_TEMPLATE = '{\n  consul: "{{ .CONSUL_HOST ",\n}\n';
const TEMPLATED = '{\n  consul: "{{ .CONSUL_HOST }}:8500",\n  jobs: [ { name: "{{ .APP_NAME | default "app" }}", exec: ["sleep", "1"] } ],\n}\n';
/**
 * Our config fixtures (supervisor/config/testdata): every v3 and v2 config, and two bare job
 * arrays (which are not whole configs: they exercise the error path).
 */
const VALID = fixtureFiles('v3').map((f) => fixturePath('v3', f));
const V2 = fixtureFiles('v2').map((f) => fixturePath('v2', f));
const CORPUS = [...VALID, ...V2, ...fixtureFiles('v3-jobs').slice(0, 2).map((f) => fixturePath('v3-jobs', f))];
/** Three 2.x configs `migrate` translates (the etcd one it refuses). */
const MIGRATED = V2.filter((f) => !f.endsWith('etcd.json')).slice(0, 3);

/** The project `new todo-api` then `add backend cache --service api` leave. */
const ADDED = 'todo-api+add-backend';

interface Answers {
  trees: Record<string, Record<string, string>>;
  newOutput: Record<string, ReturnType<typeof shape>>;
  validate: ReturnType<typeof shape>[];
  migrate: ReturnType<typeof shape>[];
  template: ReturnType<typeof shape>[];
  templateOut: string;
}

/** Everything the runtime answers, collected the same way for each. */
async function collect(rt: RuntimeName): Promise<Answers> {
  const scratch = join(work, rt);
  mkdirSync(scratch);
  const answers: Answers = { trees: {}, newOutput: {}, validate: [], migrate: [], template: [], templateOut: '' };
  for (const blueprint of ['hello-world', 'todo-api']) {
    mkdirSync(join(scratch, blueprint));
    const target = join(scratch, blueprint, 'my-app');
    // Run from the runtime's scratch dir: the next-step hints name the target relative to it.
    const r = await runCli(cliRuntime(rt), ['new', blueprint, target, '--yes'], { cwd: scratch });
    assert.equal(r.code, 0, `${rt}: new ${blueprint}: ${r.stdout}${r.stderr}`);
    answers.newOutput[blueprint] = shape(r, scratch);
    answers.trees[blueprint] = readTree(target);
  }
  // `add` patches a generated project's files (YAML, JSON5, nginx) in place.
  const project = join(scratch, ADDED, 'my-app');
  mkdirSync(join(scratch, ADDED));
  const made = await runCli(cliRuntime(rt), ['new', 'todo-api', project, '--yes'], { cwd: scratch });
  assert.equal(made.code, 0, `${rt}: new todo-api: ${made.stdout}${made.stderr}`);
  const added = await runCli(cliRuntime(rt), ['add', 'backend', 'cache', '--service', 'api', '--yes'], { cwd: project });
  assert.equal(added.code, 0, `${rt}: add backend: ${added.stdout}${added.stderr}`);
  answers.newOutput[ADDED] = shape(added, scratch);
  answers.trees[ADDED] = readTree(project);
  const bad = join(scratch, 'bad-when.json5');
  const broken = join(scratch, 'broken.json5');
  const templated = join(scratch, 'templated.json5');
  writeFileSync(bad, BAD_WHEN);
  writeFileSync(broken, BAD_SYNTAX);
  writeFileSync(templated, TEMPLATED);
  const badTemplate = join(scratch, 'bad-template.json5');
  writeFileSync(badTemplate, BAD_TEMPLATE);
  for (const file of [...CORPUS, bad, broken]) answers.validate.push(shape(await run(rt, ['validate', file]), scratch));
  for (const file of MIGRATED) answers.migrate.push(shape(await run(rt, ['migrate', file]), scratch));
  const env = { CONSUL_HOST: 'consul.local', APP_NAME: undefined };
  answers.template.push(shape(await run(rt, ['-config', templated, '-template'], env), scratch));
  answers.template.push(shape(await run(rt, ['run', '--config', templated, '--template'], { ...env, APP_NAME: 'web' }), scratch));
  answers.template.push(shape(await run(rt, ['-config', templated, '-template', '-out', join(scratch, 'rendered.json5')], env), scratch));
  answers.template.push(shape(await run(rt, ['-config', badTemplate, '-template']), scratch));
  assert.equal(answers.template[2]!.code, 0, `${rt}: -template -out: ${answers.template[2]!.stderr}`);
  answers.templateOut = readFileSync(join(scratch, 'rendered.json5'), 'utf8');
  return answers;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'autopilot-runtimes-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

let reference: Answers;

describe('node (the reference)', () => {
  it('answers as documented', async () => {
    reference = await collect('node');
    // The CLI writes what the generator plans for this version: a checkout knows no published
    // checksums, so its Dockerfiles pin the version only (the golden trees are a release's).
    for (const blueprint of ['hello-world', 'todo-api']) {
      const planned = Object.fromEntries(planNew({ blueprint: findBlueprint(blueprint)!, project: 'my-app', supervisor: { version, sha256: {}, vendor: false } }).map((op) => [op.path, op.content]));
      const tree = reference.trees[blueprint]!;
      assert.deepEqual(Object.keys(tree).sort(), Object.keys(planned).sort());
      for (const [path, content] of Object.entries(planned)) assert.equal(tree[path]!.replace(/^\d+ /, ''), content, path);
    }
    assert.notDeepEqual(reference.trees[ADDED], reference.trees['todo-api'], 'add backend changed the project');
    assert.match(reference.newOutput[ADDED]!.stdout, /cache/);
    assert.match(reference.trees['hello-world']!['hello/Dockerfile']!, new RegExp(`npm pack --silent "\\$pkg@${version.replace(/\./g, '\\.')}"`));
    const codes = new Map(CORPUS.map((f, i) => [f, reference.validate[i]!.code]));
    assert.ok(VALID.length >= 15);
    for (const f of VALID) assert.equal(codes.get(f), 0, f);
    assert.deepEqual(reference.validate.slice(VALID.length + V2.length, CORPUS.length).map((r) => r.code), [2, 2], 'a bare jobs array is not a whole config');
    assert.deepEqual(reference.validate.slice(CORPUS.length).map((r) => r.code), [2, 2]);
    assert.equal(reference.migrate.length, 3);
    for (const m of reference.migrate) assert.deepEqual([m.code, m.stdout.includes('jobs: [')], [0, true], m.stderr);
    assert.match(reference.validate.at(-2)!.stderr, /^error: <dir>\/bad-when\.json5: jobs\[0\] \("a"\)\.when: "once" and "each" are exclusive\n$/);
    assert.match(reference.validate.at(-1)!.stderr, /^error: <dir>\/broken\.json5:4:\d+: /);
    assert.equal(reference.template[0]!.stdout, TEMPLATED.replace('{{ .CONSUL_HOST }}', 'consul.local').replace('{{ .APP_NAME | default "app" }}', 'app'));
    assert.match(reference.template[1]!.stdout, /name: "web"/);
    assert.equal(reference.templateOut, reference.template[0]!.stdout);
    assert.equal(reference.template[3]!.code, 2);
    assert.match(reference.template[3]!.stderr, /^error: <dir>\/bad-template\.json5:2:\d+: .*\n$/);
  });
});

for (const rt of RUNTIME_NAMES.filter((r) => r !== 'node')) {
  describe(rt, () => {
    let answers: Answers;
    before(async () => {
      answers = await collect(rt);
    });

    it('--version prints the bare version and commit; -version prints them as ContainerPilot does', async () => {
      for (const flag of ['--version', '-v', '-V', 'version']) {
        const r = await run(rt, [flag]);
        assert.deepEqual(shape(r), { code: 0, stdout: bareVersionText, stderr: '' }, flag);
      }
      for (const argv of [['-version'], ['version', '--containerpilot']]) {
        const r = await run(rt, argv);
        assert.deepEqual(shape(r), { code: 0, stdout: versionText, stderr: '' }, argv.join(' '));
      }
    });

    for (const blueprint of ['hello-world', 'todo-api', ADDED]) {
      it(`${blueprint === ADDED ? 'new todo-api, then add backend,' : `new ${blueprint}`} writes the same tree, byte for byte and mode for mode, as on node`, () => {
        assert.ok(reference, 'the node reference ran');
        assert.deepEqual(answers.newOutput[blueprint], reference.newOutput[blueprint]);
        const tree = answers.trees[blueprint]!;
        assert.deepEqual(Object.keys(tree).sort(), Object.keys(reference.trees[blueprint]!).sort());
        for (const [path, content] of Object.entries(reference.trees[blueprint]!)) assert.equal(tree[path], content, path);
      });
    }

    it('validate prints the same verdicts, errors and exit codes as on node', () => {
      assert.deepEqual(answers.validate, reference.validate);
    });

    it('migrate translates v2 configs to the same v3 text as on node', () => {
      assert.deepEqual(answers.migrate, reference.migrate);
    });

    it('-template renders the same text (stdout and -out) and errors as on node', () => {
      assert.deepEqual(answers.template, reference.template);
      assert.equal(answers.templateOut, reference.templateOut);
    });
  });
}
