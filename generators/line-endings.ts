/**
 * The patchers work on LF text. A file whose every line ends in CRLF (written on Windows, or
 * with `core.autocrlf`) is read as LF and written back as CRLF, so each of the user's lines is
 * byte-identical and the added lines match them. A file with mixed endings is left as it is.
 */
import type { FileOp, ReadFile } from './types.js';

const allCrlf = (text: string): boolean => text.includes('\r\n') && !/(^|[^\r])\n/.test(text);

export function keepLineEndings(read: ReadFile): { read: ReadFile; restore(ops: FileOp[]): FileOp[] } {
  const crlf = new Map<string, string>();
  return {
    read: (path) => {
      const text = read(path);
      if (text === undefined || !allCrlf(text)) return text;
      crlf.set(path, text);
      return text.replace(/\r\n/g, '\n');
    },
    restore: (ops) =>
      ops.map((op) => {
        const original = crlf.get(op.path);
        if (original === undefined || op.action !== 'update' || op.copyFrom !== undefined) return op;
        return { ...op, content: op.content.replace(/\r?\n/g, '\r\n'), previous: original };
      }),
  };
}
