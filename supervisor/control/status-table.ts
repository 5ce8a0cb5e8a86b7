/**
 * Renders a StatusSnapshot as the readable tables `autopilot status` prints. `paint` colours a
 * health word (the CLI passes kleur, honouring NO_COLOR); alignment is computed on plain text.
 */
import type { JobStatus, StatusSnapshot, WatchStatus } from '../status/types.js';

export type Paint = (word: string, kind: 'good' | 'bad' | 'dim') => string;
const plain: Paint = (w) => w;

function table(header: string[], rows: string[][], paintCell: (row: number, col: number, text: string) => string): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], row: number) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0);
        return row < 0 ? padded : paintCell(row, i, c) + padded.slice(c.length);
      })
      .join('  ')
      .trimEnd();
  return [line(header, -1), ...rows.map((r, i) => line(r, i))];
}

function healthKind(health: JobStatus['health']): 'good' | 'bad' | 'dim' {
  return health === 'healthy' ? 'good' : health === 'unhealthy' ? 'bad' : 'dim';
}

function jobRows(jobs: JobStatus[]): string[][] {
  return jobs.map((j) => [j.name, j.state, j.health, String(j.restarts), j.pid === null ? '-' : String(j.pid), j.service ? `${j.service.address}:${j.service.port}` : '-']);
}

function watchRows(watches: WatchStatus[]): string[][] {
  return watches.map((w) => {
    const seen = w.kind === 'kv' ? (w.keys ?? []) : w.instances.map((i) => `${i.address}:${i.port}`);
    return [w.name, w.kind, String(seen.length), seen.length ? seen.join(', ') : '-'];
  });
}

export function formatStatus(s: StatusSnapshot, paint: Paint = plain): string {
  const out: string[] = [];
  out.push(`Version: ${s.version}   Maintenance: ${s.maintenance ? paint('on', 'bad') : 'off'}`, '');
  if (s.jobs.length === 0) out.push('No jobs.');
  else {
    const jobs = s.jobs;
    out.push(...table(['JOB', 'STATE', 'HEALTH', 'RESTARTS', 'PID', 'SERVICE'], jobRows(jobs), (row, col, text) => (col === 2 ? paint(text, healthKind(jobs[row]!.health)) : text)));
  }
  out.push('');
  if (s.watches.length === 0) out.push('No watches.');
  else out.push(...table(['WATCH', 'KIND', 'COUNT', 'INSTANCES'], watchRows(s.watches), (_r, _c, text) => text));
  return out.join('\n') + '\n';
}
