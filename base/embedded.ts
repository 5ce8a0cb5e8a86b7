/**
 * Assets the single-file binary carries inside itself. `scripts/build-binary.mjs` bundles an
 * entry module that registers them on a global symbol before the CLI loads; a run from dist/
 * (Node, Bun, Deno) registers nothing and reads package.json, dist/build-info.json and
 * templates/ from disk.
 */
export interface EmbeddedAssets {
  /** package.json's version at build time. */
  version: string;
  /** The git commit the binary was built from (see base/version.ts). */
  commit?: string;
  /** `<component>/<file>` under templates/ -> UTF-8 text. */
  templates: Record<string, string>;
}

export const EMBEDDED_KEY: unique symbol = Symbol.for('autopilot.embedded-assets');

export function embeddedAssets(): EmbeddedAssets | undefined {
  return (globalThis as { [EMBEDDED_KEY]?: EmbeddedAssets })[EMBEDDED_KEY];
}
