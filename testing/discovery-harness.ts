// Shared by the discovery tests that run against a real Consul agent: one agent per test file,
// a Discovery with a token that must never be logged, and readers of the agent's state.
// Not a test file itself.
import assert from 'node:assert/strict';
import { consulAgentForFile, recordingLog } from './consul-agent-file.js';
import { Discovery } from '../supervisor/discovery/discovery.js';

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
  const { lines, log } = recordingLog();
  const file = consulAgentForFile({ afterChecks: () => assert.ok(!lines.some((l) => l.includes(TOKEN)), 'the token appeared in a log line') });
  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${file.base()}${path}`);
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as T;
  }
  return {
    get agent() {
      return file.current();
    },
    lines,
    base: file.base,
    get,
    services: () => get<Record<string, AgentService>>('/v1/agent/services'),
    checks: () => get<Record<string, HealthCheck>>('/v1/agent/checks'),
    discovery(extra: Partial<ConstructorParameters<typeof Discovery>[0]> = {}): Discovery {
      return new Discovery({ consul: file.current().address, env: { CONSUL_HTTP_TOKEN: TOKEN }, log, hostname: 'testhost', requestTimeoutMs: 2000, ...extra });
    },
  };
}
