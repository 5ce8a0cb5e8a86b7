export { Logger, type LogWriter, type LoggerOptions } from './logger.js';
export { formatEntry, rfc3339, type Fields, type FieldValue, type LogEntry } from './format.js';
export { openSink, type LogSink } from './sink.js';
export { LineSplitter, MAX_LINE_BYTES } from './lines.js';
