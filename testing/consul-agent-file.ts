import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent, type ConsulAgent } from './consul-agent.js';

/** Log lines recorded by level, for assertions on what the code under test logged. */
export interface RecordingLog {
  lines: string[];
  log: { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };
}

export function recordingLog(withDebug = true): RecordingLog {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level}: ${m}`);
  return { lines, log: { debug: withDebug ? push('debug') : () => {}, info: push('info'), warn: push('warn'), error: push('error') } };
}

/**
 * One real Consul agent for a whole test file: started before its tests, stopped after them.
 * The file fails if an unhandled rejection or uncaught exception escaped from the code under
 * test (even while the agent was down), or if `afterChecks` throws.
 */
export function consulAgentForFile(opts: { started?: (agent: ConsulAgent) => void; stopping?: () => void; afterChecks?: () => void } = {}) {
  let agent: ConsulAgent | undefined;
  const escaped: unknown[] = [];
  const onEscape = (err: unknown) => escaped.push(err);
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);

  before(async () => {
    agent = await startConsulAgent();
    opts.started?.(agent);
  });
  after(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    opts.stopping?.();
    await agent?.stop();
    opts.afterChecks?.();
    assert.deepEqual(escaped, [], 'no unhandled rejection or uncaught exception');
  });

  const current = (): ConsulAgent => {
    if (!agent) throw new Error('the Consul agent is not started yet');
    return agent;
  };
  return {
    current,
    /** The agent's HTTP base URL, without a trailing /v1. */
    base: () => current().httpUrl.replace(/\/+$/, '').replace(/\/v1$/, ''),
  };
}
