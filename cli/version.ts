import { readFileSync } from 'node:fs';
import { embeddedAssets } from './embedded.js';

/** The package version: embedded in the single-file binary, else read once from package.json (shipped beside dist/). */
export const VERSION: string = (() => {
  const embedded = embeddedAssets()?.version;
  if (embedded) return embedded;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
