// autopilot-pattern-client: the app-side client (client/), published as its own package with no
// dependencies, so an app that finds its backends through Consul installs a few kilobytes and
// not the CLI. Its JavaScript is what `npm run build` compiled into dist/client/; its type
// declarations are emitted here from the same sources.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLIENT = 'autopilot-pattern-client';
export const REQUIRED_CLIENT = ['package.json', 'README.md', 'LICENSE', 'index.js', 'index.d.ts', 'services.js', 'health.js', 'endpoint.js'];

export function stageClient(stage, repo, pkg) {
  const dir = join(stage, CLIENT);
  mkdirSync(dir, { recursive: true });
  const built = join(repo, 'dist', 'client');
  for (const f of readdirSync(built).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))) copyFileSync(join(built, f), join(dir, f));
  const tsc = spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['--declaration', '--emitDeclarationOnly', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--outDir', dir, ...['index', 'services', 'health', 'endpoint'].map((f) => join(repo, 'client', `${f}.ts`))], { cwd: repo, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`type declarations of ${CLIENT}: ${(tsc.stdout + tsc.stderr).trim()}`);
  copyFileSync(join(repo, 'client', 'README.md'), join(dir, 'README.md'));
  copyFileSync(join(repo, 'LICENSE'), join(dir, 'LICENSE'));
  const { version, license, repository, homepage, bugs } = pkg;
  const manifest = {
    name: CLIENT,
    version,
    description: 'Find the healthy instances of a service in Consul from app code: round-robin picks, changes through blocking queries, refresh on SIGHUP. Node, Bun and Deno; no dependencies.',
    keywords: ['consul', 'service-discovery', 'autopilot-pattern', 'containerpilot', 'piloted'],
    license,
    repository: { ...repository, directory: 'client' },
    homepage,
    bugs,
    type: 'module',
    exports: { '.': { types: './index.d.ts', default: './index.js' } },
    types: './index.d.ts',
    engines: { node: '>=20' },
    sideEffects: false,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}
