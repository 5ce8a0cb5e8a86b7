/** The version lives in the base folder (base/version.ts); the CLI modules import it from here too. */
export { VERSION, bareVersionText, versionText } from '../base/version.js';
