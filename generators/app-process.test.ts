/** Runs a generated app (its index.js) as a child process, for the app tests. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';

export interface App {
  child: ChildProcess;
  output: () => string;
  port: number;
}

export async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startApp(t: TestContext, script: string, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(`${script} to listen`, () => /listening on port \d+/.test(out) || child.exitCode !== null);
  const port = Number(/listening on port (\d+)/.exec(out)?.[1]);
  assert.ok(port > 0, out);
  return { child, output: () => out, port };
}

export async function stop(app: App): Promise<number | null> {
  app.child.kill('SIGTERM');
  const [code] = (await once(app.child, 'exit')) as [number | null];
  return code;
}

export const get = async (port: number, path: string, init?: RequestInit) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, text: await res.text() };
};

