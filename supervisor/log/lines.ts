/**
 * Splits a child's output stream into lines for logging. A final line without a newline is
 * flushed at end of stream. Over-long lines are cut (a runaway child must not grow our memory).
 */
export const MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private pending = '';
  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    let text = this.pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let nl: number;
    while ((nl = text.indexOf('\n')) >= 0) {
      this.emit(stripCr(text.slice(0, nl)));
      text = text.slice(nl + 1);
    }
    while (text.length > MAX_LINE_BYTES) {
      this.emit(text.slice(0, MAX_LINE_BYTES));
      text = text.slice(MAX_LINE_BYTES);
    }
    this.pending = text;
  }

  end(): void {
    if (this.pending.length > 0) this.emit(stripCr(this.pending));
    this.pending = '';
  }
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
