// Shared by the discovery tests that run against a real Consul agent: one agent per test file,
// a Discovery with a token that must never be logged, and readers of the agent's state.
// Not a test file itself.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent } from '../../testing/consul-agent.js';
import { Discovery } from './discovery.js';
import type { Logger } from './log.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;

export const TOKEN = 'tok-7f3a9c51-never-logged';

export type AgentService = { ID: string; Service: string; Address: string; Port: number; Tags: string[]; EnableTagOverride: boolean };
export type HealthCheck = { CheckID: string; Name: string; Status: string; Output: string; ServiceID: string; Notes: string };

export const spec = (port: number, extra: Record<string, unknown> = {}) => ({
  port,
  interfaces: ['static:10.1.2.3'],
  tags: ['a', 'b'],
  ttlMs: 30_000,
  enableTagOverride: false,
  ...extra,
});

/** Starts an agent before the file's tests and stops it after; fails the file if the token was
 * logged or anything escaped from the code under test. */
export function consulDiscoveryHarness() {
  let agent: Agent | undefined;
  const lines: string[] = [];
  const log: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  // Nothing may escape from the code under test, even while the agent is down.
  const escaped: unknown[] = [];
  const onEscape = (err: unknown) => escaped.push(err);
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);

  before(async () => {
    agent = await startConsulAgent();
  });
  after(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    await agent?.stop();
    assert.ok(!lines.some((l) => l.includes(TOKEN)), 'the token appeared in a log line');
    assert.deepEqual(escaped, [], 'no unhandled rejection or uncaught exception');
  });

  const theAgent = (): Agent => {
    if (!agent) throw new Error('the Consul agent is not started yet');
    return agent;
  };
  const base = () => theAgent().httpUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${base()}${path}`);
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as T;
  }
  return {
    get agent(): Agent {
      return theAgent();
    },
    lines,
    base,
    get,
    services: () => get<Record<string, AgentService>>('/v1/agent/services'),
    checks: () => get<Record<string, HealthCheck>>('/v1/agent/checks'),
    discovery(extra: Partial<ConstructorParameters<typeof Discovery>[0]> = {}): Discovery {
      return new Discovery({ consul: theAgent().address, env: { CONSUL_HTTP_TOKEN: TOKEN }, log, hostname: 'testhost', requestTimeoutMs: 2000, ...extra });
    },
  };
}
