#!/usr/bin/env node
/**
 * The `autopilot` command. On Node it runs the CLI from the bundle that `npm run build` writes
 * beside this file (one file and a V8 code cache instead of a few hundred modules: the start time
 * of a PID 1 matters); when the bundle is missing or older than this build, and on Bun and Deno,
 * it loads the modules. Both run the same code: `entry.ts`.
 */
import { runNodeBundle } from './node-bundle.cjs';

if (!runNodeBundle()) await import('./entry.js');
