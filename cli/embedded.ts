/** The embedded assets live in the base folder (base/embedded.ts); the CLI modules import them from here too. */
export { embeddedAssets } from '../base/embedded.js';
