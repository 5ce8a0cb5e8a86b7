/**
 * Starting one child process, below spawn.ts: the runtime's cheapest spawn path behind one small
 * interface. Bun gets `Bun.spawn` (posix_spawn, no stream objects: about half the CPU per spawn of
 * its node:child_process layer, which matters for exec health checks run every few seconds);
 * Node and Deno get node:child_process. Both start the child in its own session (setsid), so
 * signalling the group reaches every process it starts.
 */
import { detectRuntime } from './ffi.js';
import { startChildBun } from './start-child-bun.js';
import { startChildNode } from './start-child-node.js';
import type { StartChild } from './start-child-types.js';

export const startChild: StartChild = detectRuntime() === 'bun' ? startChildBun : startChildNode;
