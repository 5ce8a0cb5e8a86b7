// One fuzz target in a worker thread (bench/fuzz.mjs): inputs start..start+count-1 of the run's
// seed, each generated from its own PRNG stream, checked, timed. The current index goes to shared
// memory before each input, so the main thread can name the input that hung and carry on.
import { parentPort, workerData } from 'node:worker_threads';
import { inputRandom, loadTarget } from './fuzz-targets.mjs';

const { target: name, seed, start, count, progress, slowMs } = workerData;
// Code under test that writes to the console (a library's warning) would flood the log: counted instead.
let consoleLines = 0;
let consoleSample;
for (const k of ['log', 'warn', 'error', 'info', 'debug']) {
  console[k] = (...args) => {
    consoleLines++;
    consoleSample ??= args.map(String).join(' ').slice(0, 200);
  };
}
const target = await loadTarget(name);
const cell = new Int32Array(progress);
let outcomes = {};
/** Outcomes go to the main thread every FLUSH inputs, so a worker ended for a hang loses few. */
const FLUSH = 500;
const slowest = [];
let genMs = 0;
let checkMs = 0;
for (let i = start; i < start + count; i++) {
  Atomics.store(cell, 0, i);
  const g0 = performance.now();
  const input = target.generate(inputRandom(seed, name, i));
  const c0 = performance.now();
  let outcome;
  try {
    outcome = target.check(input);
  } catch (err) {
    outcome = 'failure';
    parentPort.postMessage({ failure: { index: i, message: err.message } });
  }
  const c1 = performance.now();
  genMs += c0 - g0;
  checkMs += c1 - c0;
  const ms = c1 - c0;
  if (ms > slowMs) parentPort.postMessage({ failure: { index: i, message: `took ${ms.toFixed(0)} ms, over the per-input bound of ${slowMs} ms` } });
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  if ((i - start + 1) % FLUSH === 0) {
    parentPort.postMessage({ partial: outcomes });
    outcomes = {};
  }
  if (slowest.length < 5 || ms > slowest[slowest.length - 1].ms) {
    slowest.push({ index: i, ms });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 5);
  }
}
Atomics.store(cell, 0, start + count);
parentPort.postMessage({ done: { outcomes, genMs, checkMs, slowest, consoleLines, consoleSample } });
