/** Helpers shared by the render tests: running the CLI, registering catalog entries, the real consul-template. */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { consulPut, type ConsulAgent } from './consul-agent.js';
import { cliPath, repoRoot } from './paths.js';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`). */
export function runProgram(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `autopilot render ...args` through the built CLI. */
export function runRender(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return runProgram(process.execPath, [cliPath, 'render', ...args], { ...opts, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
}

export interface Instance {
  node: string;
  nodeAddress?: string;
  id: string;
  service: string;
  port: number;
  address?: string;
  tags?: string[];
  meta?: Record<string, string>;
  /** A service check with this status (none: the instance counts as passing). */
  status?: 'passing' | 'warning' | 'critical';
}

/** Registers an instance on a (possibly external) node through the catalog API. */
export async function registerInstance(agent: ConsulAgent, i: Instance): Promise<void> {
  const body: Record<string, unknown> = {
    Node: i.node,
    Address: i.nodeAddress ?? '127.0.0.1',
    Service: { ID: i.id, Service: i.service, Port: i.port, Address: i.address ?? '', Tags: i.tags ?? [], Meta: i.meta ?? {} },
  };
  if (i.status) body['Check'] = { CheckID: `check-${i.id}`, Name: `check ${i.id}`, Status: i.status, ServiceID: i.id };
  await consulPut(agent, '/v1/catalog/register', body);
}

export async function deregisterInstance(agent: ConsulAgent, node: string, id: string): Promise<void> {
  await consulPut(agent, '/v1/catalog/deregister', { Node: node, ServiceID: id });
}

/** Polls `check` (bounded) until it returns true. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** HashiCorp's consul-template: $AUTOPILOT_CONSUL_TEMPLATE_BIN, the cached build, or built now. */
export function findConsulTemplate(): string {
  const fromEnv = process.env['AUTOPILOT_CONSUL_TEMPLATE_BIN'];
  if (fromEnv) return fromEnv;
  const cacheRoot = process.env['AUTOPILOT_CACHE'] || join(homedir(), '.cache', 'autopilot');
  const script = join(repoRoot, 'scripts', 'setup-consul-template.sh');
  // The script is the one place that pins the version.
  const pinned = /CONSUL_TEMPLATE_VERSION:-(v[0-9][0-9.]*)/.exec(readFileSync(script, 'utf8'))?.[1] ?? '';
  const version = 'v' + (process.env['CONSUL_TEMPLATE_VERSION'] || pinned).replace(/^v/, '');
  const cached = join(cacheRoot, `consul-template-${version}`, 'consul-template');
  if (isExecutable(cached)) return cached;
  const run = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60 * 1000 });
  const path = (run.stdout ?? '').trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !isExecutable(path)) throw new Error(`scripts/setup-consul-template.sh failed (exit ${run.status})`);
  return path;
}
