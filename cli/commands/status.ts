/** `autopilot status`: jobs, health, restarts, watches and instances of a running supervisor. */
import { formatStatus, type Paint } from '../../supervisor/control/status-table.js';
import { color } from '../../base/colors.js';
import { withControl } from './ctl.js';

const paint: Paint = (word, kind) => (kind === 'good' ? color.green(word) : kind === 'bad' ? color.red(word) : color.dim(word));

export async function statusCommand(o: Record<string, unknown> = {}): Promise<number> {
  const snapshot = await withControl(o, (c) => c.status());
  process.stdout.write(o['json'] ? JSON.stringify(snapshot, null, 2) + '\n' : formatStatus(snapshot, paint));
  return 0;
}
