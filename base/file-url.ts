/**
 * A file:// URL's path. node:url is required at the first URL only: loading it costs a Bun binary
 * about 0.5 ms of its start, and most configs are named by a plain path.
 */
import { createRequire } from 'node:module';

export function fileUrlPath(url: string): string {
  return (createRequire(import.meta.url)('node:url') as typeof import('node:url')).fileURLToPath(url);
}
