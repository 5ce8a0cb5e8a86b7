export { App, type AppOptions } from './app.js';
export { loadParts, type AppContext, type AppPart, type AppParts, type DiscoveryPart } from './parts.js';
export { initModeConfig } from './init-mode.js';
export { diffJobs } from './reload-diff.js';
