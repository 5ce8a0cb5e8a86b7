/**
 * Helpers for tests that run `autopilot run` against a real Consul agent: the supervisor as a
 * real process with a per-test control socket, `autopilot status --json` / `autopilot ctl` run
 * as real processes, and bounded polling of the agent's HTTP API.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { consulGet, type ConsulAgent } from './consul-agent.js';
import { cliPath } from './paths.js';
import { Supervisor, sleep, type TempDir } from './supervisor.js';

export interface StatusJob {
  name: string;
  state: string;
  health: string;
  restarts: number;
  runs?: number;
  pid: number | null;
}
export interface StatusJson {
  maintenance: boolean;
  jobs: StatusJob[];
  watches: Array<{ name: string; instances: Array<{ address: string; port: number }> }>;
}
export interface AgentCheck {
  CheckID: string;
  Status: string;
  Output: string;
  ServiceID: string;
}

/** A started `autopilot run` with the control socket and config it was given. */
export interface RunningSupervisor {
  cp: Supervisor;
  socket: string;
  config: string;
}

/** Writes `containerpilot.json5` (from `text(socket)`) into `dir` and starts `autopilot run`. */
export function runWithConfig(dir: TempDir, text: (socket: string) => string, env: Record<string, string | undefined> = {}): RunningSupervisor {
  const socket = join(dir.path, 'cp.socket');
  const config = dir.file('containerpilot.json5', text(socket));
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined, ...env } });
  return { cp, socket, config };
}

/** Runs the CLI to completion (bounded) and returns its exit code and output. */
export function cli(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1', CONTAINERPILOT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `autopilot status --json --socket <socket>`, parsed. */
export async function statusJson(socket: string): Promise<StatusJson> {
  const r = await cli(['status', '--json', '--socket', socket]);
  if (r.code !== 0) throw new Error(`autopilot status exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as StatusJson;
}

export const agentServices = (agent: ConsulAgent) => consulGet<Record<string, { ID: string; Service: string; Address: string; Port: number; Tags: string[] }>>(agent, '/v1/agent/services');
export const agentChecks = (agent: ConsulAgent) => consulGet<Record<string, AgentCheck>>(agent, '/v1/agent/checks');

/** Polls `check` every 100 ms until it returns a value other than undefined/false (bounded). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, output: () => string = () => '', timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await sleep(100);
  }
}
