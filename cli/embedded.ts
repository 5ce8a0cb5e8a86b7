/** The embedded assets live in the base folder (base/embedded.ts); the CLI modules import them from here too. */
export { EMBEDDED_KEY, embeddedAssets, type EmbeddedAssets } from '../base/embedded.js';
