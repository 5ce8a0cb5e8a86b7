// A tiny phase runner: each phase is timed; a failing phase is named in the error together with
// the logs of the containers it concerns; the timings print as a table at the end.

export class PhaseError extends Error {}

export class Phases {
  /** `logsFor(services)` returns the text to show when a phase concerning `services` fails. */
  constructor({ logsFor, print = (s) => process.stderr.write(s) }) {
    this.logsFor = logsFor;
    this.print = print;
    this.rows = [];
    this.notes = [];
  }

  async run(name, services, fn) {
    const started = performance.now();
    this.print(`\n== ${name}\n`);
    try {
      const value = await fn();
      this.rows.push({ name, ms: performance.now() - started, ok: true });
      return value;
    } catch (err) {
      this.rows.push({ name, ms: performance.now() - started, ok: false });
      let logs = '';
      try {
        logs = services.length ? await this.logsFor(services) : '';
      } catch (logErr) {
        logs = `(could not read container logs: ${logErr.message})`;
      }
      const message = `e2e phase "${name}" failed: ${err.message}` +
        (logs ? `\n\ncontainer logs:\n${logs}` : '');
      throw new PhaseError(message, { cause: err });
    }
  }

  /** A measured interval inside a phase (e.g. scale convergence), printed under the table. */
  note(label, ms) {
    this.notes.push({ label, ms });
    this.print(`   ${label}: ${fmt(ms)}\n`);
  }

  table() {
    const width = Math.max(...this.rows.map((r) => r.name.length), ...this.notes.map((n) => n.label.length), 10);
    const lines = ['', 'e2e timings', `${'phase'.padEnd(width)}  ${'time'.padStart(9)}  result`];
    for (const r of this.rows) lines.push(`${r.name.padEnd(width)}  ${fmt(r.ms).padStart(9)}  ${r.ok ? 'ok' : 'FAILED'}`);
    const total = this.rows.reduce((s, r) => s + r.ms, 0);
    lines.push(`${'total'.padEnd(width)}  ${fmt(total).padStart(9)}`);
    if (this.notes.length) {
      lines.push('', 'measured inside phases');
      for (const n of this.notes) lines.push(`${n.label.padEnd(width)}  ${fmt(n.ms).padStart(9)}`);
    }
    return lines.join('\n') + '\n';
  }
}

export function fmt(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
