// nginx's first config, measured: after `up -d` of the whole project, and after `restart nginx`
// while its backends are passing, a client polls a path through nginx and counts the 502s before
// the first 200. Once with the generated config (a preStart job renders nginx.conf from Consul
// before nginx starts) and once with the config as it was before that job (nginx starts on
// placeholder upstreams and the first watch poll renders them). The numbers go to the report;
// what is asserted holds whatever the timings: with preStart (nginx starts once every upstream
// has a passing instance) no 502 at all, before or after the first 200. Without it, a 502 after
// the first 200 is counted, not asserted: the render's `nginx -s reload` starts new workers
// before the old ones (still on the placeholders) stop accepting, so for that moment a new
// connection can reach an old worker. That is nginx's reload, and a loaded machine widens it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from './docker.mjs';
import { sleep } from './sh.mjs';

/** The generated nginx config without its preStart job: nginx starts at once, on placeholders. */
export function withoutPreStart(text) {
  const out = text
    .replace(/\n\s*when: \{ source: "preStart", once: "exitSuccess" \},/, '')
    .replace(/\n {4}\{\n {6}name: "preStart",[^\n]*\n[^\n]*\n {4}\},/, '');
  if (out === text || /name: "preStart"|source: "preStart"/.test(out)) throw new Error('nginx/containerpilot.json5 has no preStart job in the expected form');
  return out;
}

/**
 * Polls `url` every 50 ms until the first 200 (at most `limitMs`), then `afterMs` more.
 * -> { firstOkMs, first502Ms, before502, refused, other, after502, statuses }
 */
export async function firstOk(url, { limitMs = 90_000, afterMs = 3000 } = {}) {
  const t0 = performance.now();
  const r = { firstOkMs: undefined, first502Ms: undefined, before502: 0, refused: 0, other: 0, after502: 0, afterOther: 0 };
  for (;;) {
    const now = performance.now() - t0;
    if (r.firstOkMs === undefined ? now > limitMs : now > r.firstOkMs + afterMs) break;
    let status = 0;
    try {
      ({ status } = await httpGet(url, 1000));
    } catch {
      status = 0; // refused or timed out: nginx is not listening yet
    }
    const at = performance.now() - t0;
    if (r.firstOkMs === undefined) {
      if (status === 200) r.firstOkMs = at;
      else if (status === 502) {
        r.before502++;
        r.first502Ms ??= at;
      } else if (status === 0) r.refused++;
      else r.other++;
    } else if (status === 502) r.after502++;
    else if (status !== 200) r.afterOther++;
    await sleep(50);
  }
  if (r.firstOkMs === undefined) throw new Error(`${url}: no 200 within ${limitMs / 1000} s (${r.before502} x 502, ${r.refused} refused, ${r.other} other)`);
  return r;
}

function describe(r) {
  const window = r.first502Ms === undefined ? 'no 502' : `502 window ${Math.round(r.firstOkMs - r.first502Ms)} ms`;
  return `${r.before502} x 502 before the first 200 (${window}; ${r.refused} refused, ${r.other} other), ${r.after502} x 502 after it`;
}

/** Both configs, cold `up -d` and `restart nginx`; leaves the generated config built and the project down. */
export async function measureFirstConfig(project, phases, { dir, path }) {
  const file = join(dir, 'nginx', 'containerpilot.json5');
  const generated = await readFile(file, 'utf8');
  const variants = [['without preStart', withoutPreStart(generated)], ['with preStart', generated]];
  const results = {};
  try {
    for (const [label, text] of variants) {
      await writeFile(file, text);
      await project.compose(['build', 'nginx'], { timeoutMs: 5 * 60_000 });
      await project.compose(['down', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000 });
      let t = performance.now();
      await project.compose(['up', '-d'], { timeoutMs: 5 * 60_000 });
      const upMs = performance.now() - t;
      const cold = await firstOk(`http://${await project.ip('nginx')}${path}`);
      phases.note(`first config, ${label}: up -d -> first 200 on ${path} (up -d took ${Math.round(upMs)} ms)`, upMs + cold.firstOkMs);
      phases.print(`   ${label}, up -d: ${describe(cold)}\n`);
      t = performance.now();
      await project.compose(['restart', 'nginx'], { timeoutMs: 120_000 });
      const restartMs = performance.now() - t;
      const warm = await firstOk(`http://${await project.ip('nginx')}${path}`);
      phases.note(`first config, ${label}: restart nginx -> first 200`, restartMs + warm.firstOkMs);
      phases.print(`   ${label}, restart nginx: ${describe(warm)}\n`);
      results[label] = { cold, warm };
    }
  } finally {
    await writeFile(file, generated);
  }
  await project.compose(['build', 'nginx'], { timeoutMs: 5 * 60_000 });
  await project.compose(['down', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000 });
  for (const [when, r] of Object.entries(results['with preStart'])) {
    if (r.before502 > 0 || r.after502 > 0) throw new Error(`with preStart, ${when === 'cold' ? 'up -d' : 'restart nginx'}: ${describe(r)}; nginx must start on the rendered upstreams`);
  }
  return results;
}
