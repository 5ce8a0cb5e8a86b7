import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found by walking up from this compiled file to package.json. */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found above ' + fileURLToPath(import.meta.url));
})();

/** The built CLI as installed: package.json `bin` (run `npm run build` first; `npm test` does). */
export const cliPath: string = join(repoRoot, 'dist', 'cli', 'bin.cjs');
