/**
 * The logger discovery and watches write to. The app passes the supervisor's logger; every
 * message goes through redact() first, so the ACL token cannot reach a log line even if Consul
 * echoes it back in an error body.
 */
import { redact } from './errors.js';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Writes `level: message` lines to stderr; used when the app gives no logger. */
export const stderrLogger: Logger = {
  debug: () => {},
  info: (m) => process.stderr.write(`info: ${m}\n`),
  warn: (m) => process.stderr.write(`warn: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function redactingLogger(log: Logger, token: string | undefined): Logger {
  if (!token) return log;
  return {
    debug: (m) => log.debug(redact(m, token)),
    info: (m) => log.info(redact(m, token)),
    warn: (m) => log.warn(redact(m, token)),
    error: (m) => log.error(redact(m, token)),
  };
}
