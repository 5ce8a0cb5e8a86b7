#!/usr/bin/env node
/**
 * The `autopilot` command as installed (package.json `bin`): what index.js runs, from a CommonJS
 * file. Node starts a CommonJS main file about 4 ms sooner than an ES module one (it sets up no
 * module loader for it), and every container pays a supervisor's start. Bun and Deno run it too.
 */
import { runNodeBundle } from './node-bundle.cjs';

if (!runNodeBundle()) void import('./entry.js');
