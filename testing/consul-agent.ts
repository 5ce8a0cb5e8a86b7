import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConsulBinary } from './consul-agent-binary.js';
import { consulGet } from './consul-agent-http.js';
import { freeConsulPorts, type ConsulPorts } from './consul-agent-ports.js';

export { findConsulBinary } from './consul-agent-binary.js';
export { consulGet, consulPut, consulRequest, ConsulHttpError, type HealthServiceEntry } from './consul-agent-http.js';

export interface ConsulAgent {
  /** host:port of the HTTP API, the form ContainerPilot's `consul` setting takes. */
  readonly address: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly httpUrl: string;
  readonly ports: ConsulPorts;
  readonly nodeName: string;
  readonly dataDir: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Stops and starts again on the same ports; `wipe` empties the data dir (an empty catalog). */
  restart(opts?: { wipe?: boolean }): Promise<void>;
  /** Stops the agent but keeps its ports and data dir, for an outage of any length; `up()` ends it. */
  down(): Promise<void>;
  /** Starts a downed agent again on the same ports (`wipe`: with an empty catalog). */
  up(opts?: { wipe?: boolean }): Promise<void>;
  /** SIGSTOP / SIGCONT: the agent keeps its ports but answers nothing (an outage). */
  pause(): void;
  resume(): void;
  /** The last lines the agent logged. */
  logTail(): string;
}

export interface StartConsulOptions {
  /** Bound on the wait for a leader and a registered node (default 30 s). */
  readyTimeoutMs?: number;
  /** Node name (default: unique per agent). */
  nodeName?: string;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHooksInstalled = false;

/** Never leave an agent behind: kill them when the test process exits or is signalled. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      // exit() runs the 'exit' hook above; the conventional status for death by signal.
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

function agentArgs(ports: ConsulPorts, dataDir: string, nodeName: string): string[] {
  // A single bootstrapping server with a persistent data dir (unlike -dev, whose in-memory raft
  // would lose the catalog on restart), bound to loopback, with the ports the test chose and
  // everything unneeded (DNS, gRPC, WAN gossip, UI, update checks) switched off.
  return [
    'agent', '-server', '-bootstrap', '-data-dir', dataDir, '-node', nodeName,
    '-bind', '127.0.0.1', '-advertise', '127.0.0.1', '-client', '127.0.0.1',
    '-http-port', String(ports.http), '-serf-lan-port', String(ports.serfLan),
    '-server-port', String(ports.server), '-serf-wan-port', '-1',
    '-dns-port', '-1', '-grpc-port', '-1', '-grpc-tls-port', '-1', '-https-port', '-1',
    '-ui=false', '-log-level', 'info', '-disable-host-node-id',
    '-hcl', 'disable_update_check = true',
    '-hcl', 'performance { raft_multiplier = 1 }',
  ];
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGSTOP reaches each thread of the agent asynchronously: on a loaded machine a thread may still
 * answer a request sent right after kill() returned. Wait (bounded, synchronously) until every
 * thread shows state T in /proc.
 */
function waitUntilStopped(pid: number | undefined): void {
  if (pid === undefined) return;
  const deadline = Date.now() + 2000;
  const stopped = (): boolean => {
    try {
      return readdirSync(`/proc/${pid}/task`).every((tid) => {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        return /^\S+ \(.*\) [Tt] /s.test(stat);
      });
    } catch {
      return true; // gone: nothing can answer
    }
  };
  while (!stopped() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/** Starts a real Consul agent (single server) on free loopback ports in its own temp dir. */
export async function startConsulAgent(opts: StartConsulOptions = {}): Promise<ConsulAgent> {
  installExitHooks();
  const binary = findConsulBinary();
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const root = mkdtempSync(join(tmpdir(), 'autopilot-consul-'));
  tempDirs.add(root);
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const nodeName = opts.nodeName ?? `test-${process.pid}-${root.slice(-6)}`;
  let ports = await freeConsulPorts();
  let child: ChildProcess | undefined;
  let paused = false;
  const log: string[] = [];

  const logTail = () => log.slice(-40).join('\n');
  const httpUrl = () => `http://127.0.0.1:${ports.http}`;

  function spawnAgent(): ChildProcess {
    const proc = spawn(binary, agentArgs(ports, dataDir, nodeName), { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    proc.once('error', (err) => log.push(`spawn error: ${err.message}`));
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      log.push(...lines);
      if (log.length > 400) log.splice(0, log.length - 200);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    return proc;
  }

  /** Ready = a leader is elected, /v1/agent/self answers and our node is in the catalog. */
  async function waitReady(proc: ChildProcess): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`consul agent exited early (${proc.exitCode ?? proc.signalCode}):\n${logTail()}`);
      }
      try {
        const leader = await consulGet<string>({ httpUrl: httpUrl() }, '/v1/status/leader');
        await consulGet({ httpUrl: httpUrl() }, '/v1/agent/self');
        const node = await consulGet<unknown>({ httpUrl: httpUrl() }, `/v1/catalog/node/${nodeName}`);
        if (leader && node) return;
        last = leader ? 'node not yet in the catalog' : 'no leader yet';
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await sleep(100);
    }
    throw new Error(`consul agent not ready after ${readyTimeoutMs} ms (${last}):\n${logTail()}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    proc.kill('SIGTERM');
    if (paused) proc.kill('SIGCONT');
    paused = false;
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await waitForExit(proc);
    clearTimeout(killer);
  }

  async function launch(): Promise<void> {
    child = spawnAgent();
    try {
      await waitReady(child);
    } catch (err) {
      await stop();
      throw err;
    }
  }

  async function up(upOpts: { wipe?: boolean } = {}): Promise<void> {
    if (child) throw new Error('consul agent is already running');
    if (upOpts.wipe) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir);
    }
    await launch();
  }

  // Free ports can be taken between probing and binding: retry the first start on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      const portClash = /address already in use/i.test(logTail());
      if (!portClash || attempt >= 3) {
        rmSync(root, { recursive: true, force: true });
        tempDirs.delete(root);
        throw err;
      }
      ports = await freeConsulPorts();
    }
  }

  return {
    get address() {
      return `127.0.0.1:${ports.http}`;
    },
    get httpUrl() {
      return httpUrl();
    },
    get ports() {
      return ports;
    },
    nodeName,
    dataDir,
    logTail,
    async stop() {
      await stop();
      rmSync(root, { recursive: true, force: true });
      tempDirs.delete(root);
    },
    async restart(restartOpts = {}) {
      await stop();
      await up(restartOpts);
    },
    down: stop,
    up,
    pause() {
      if (!child) throw new Error('consul agent is not running');
      child.kill('SIGSTOP');
      paused = true;
      waitUntilStopped(child.pid);
    },
    resume() {
      if (!child) throw new Error('consul agent is not running');
      child.kill('SIGCONT');
      paused = false;
    },
  };
}
