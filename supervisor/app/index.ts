export { App } from './app.js';
export { loadParts } from './parts.js';
export { initModeConfig } from './init-mode.js';
