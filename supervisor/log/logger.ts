/**
 * The supervisor's logger: level filter + format + sink. `with(fields)` gives a child logger that
 * adds fields (job=..., pid=...) to every entry, as logrus's WithFields does.
 */
import type { LogFormat, LoggingConfig, LogLevel } from '../config/model.js';
import { formatEntry, levelEnabled, type Fields } from './format.js';
import { openSink, writeAll, type LogSink } from './sink.js';

export interface LogWriter {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  with(fields: Fields): LogWriter;
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Replace the sink (tests). */
  sink?: LogSink;
  now?: () => Date;
}

export class Logger implements LogWriter {
  private level: LogLevel;
  private format: LogFormat;
  private sink: LogSink;
  private readonly now: () => Date;

  constructor(cfg: LoggingConfig, opts: LoggerOptions = {}) {
    this.level = cfg.level;
    this.format = cfg.format;
    this.sink = opts.sink ?? openSink(cfg.output);
    this.now = opts.now ?? (() => new Date());
  }

  /** Applies a new logging config (reload); reopens the sink only if the output changed. */
  configure(cfg: LoggingConfig, current: string): void {
    this.level = cfg.level;
    this.format = cfg.format;
    if (cfg.output !== current) {
      const next = openSink(cfg.output);
      this.sink.close();
      this.sink = next;
    }
  }

  enabled(level: LogLevel): boolean {
    return levelEnabled(this.level, level);
  }

  log(level: LogLevel, msg: string, fields?: Fields): void {
    if (!levelEnabled(this.level, level)) return;
    this.sink.write(formatEntry(this.format, { time: this.now(), level, msg, fields }));
  }

  debug(msg: string, fields?: Fields): void {
    this.log('DEBUG', msg, fields);
  }
  info(msg: string, fields?: Fields): void {
    this.log('INFO', msg, fields);
  }
  warn(msg: string, fields?: Fields): void {
    this.log('WARN', msg, fields);
  }
  error(msg: string, fields?: Fields): void {
    this.log('ERROR', msg, fields);
  }

  with(fields: Fields): LogWriter {
    return new FieldLogger(this, fields);
  }

  /** SIGUSR1: reopen the log file (no-op for stdout/stderr). Errors are reported, not thrown. */
  reopen(): void {
    try {
      this.sink.reopen();
    } catch (err) {
      // To the descriptor, as every log line: a closed stderr drops it instead of failing PID 1.
      writeAll(2, `cannot reopen log file: ${(err as Error).message}\n`);
    }
  }

  close(): void {
    this.sink.close();
  }
}

class FieldLogger implements LogWriter {
  constructor(
    private readonly root: Logger,
    private readonly fields: Fields,
  ) {}
  private merge(extra?: Fields): Fields {
    return extra ? { ...this.fields, ...extra } : this.fields;
  }
  debug(msg: string, fields?: Fields): void {
    this.root.log('DEBUG', msg, this.merge(fields));
  }
  info(msg: string, fields?: Fields): void {
    this.root.log('INFO', msg, this.merge(fields));
  }
  warn(msg: string, fields?: Fields): void {
    this.root.log('WARN', msg, this.merge(fields));
  }
  error(msg: string, fields?: Fields): void {
    this.root.log('ERROR', msg, this.merge(fields));
  }
  with(fields: Fields): LogWriter {
    return new FieldLogger(this.root, this.merge(fields));
  }
  enabled(level: LogLevel): boolean {
    return this.root.enabled(level);
  }
}
