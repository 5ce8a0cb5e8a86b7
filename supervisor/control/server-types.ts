/** What startControlServer (server.ts) takes and gives, shared by its Bun and Node servers. */
import type { AnswerOptions } from './answer.js';

export interface ControlServerOptions extends AnswerOptions {
  socketPath: string;
}

export interface ControlServer {
  readonly socketPath: string;
  /** What listens: Bun's native server, or node:http. */
  readonly kind: 'bun' | 'node';
  /** Stops listening, finishes (or after a grace period, cuts) open requests, removes the socket. */
  stop(): Promise<void>;
}
