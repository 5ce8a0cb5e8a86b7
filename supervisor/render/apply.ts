/**
 * After a render: write each changed output, then run each distinct command once (two templates
 * sharing `nginx -s reload` reload once, as consul-template does), and log one line per output.
 */
import { runCommand, type CommandResult } from './command.js';
import type { TemplateSpec } from './spec.js';
import { writeIfChanged } from './write.js';

export interface Rendered {
  spec: TemplateSpec;
  output: string;
}

export interface ApplyOptions {
  log: (line: string) => void;
  commandTimeoutMs?: number;
}

/** Returns how many commands failed. Write errors propagate. */
export async function applyRendered(items: Rendered[], opts: ApplyOptions): Promise<number> {
  const written: Rendered[] = [];
  for (const item of items) {
    const bytes = Buffer.byteLength(item.output, 'utf8');
    if (writeIfChanged(item.spec.destination, item.output)) written.push(item);
    else opts.log(`unchanged ${item.spec.destination} (${bytes} bytes)`);
  }
  const results = new Map<string, CommandResult>();
  let failed = 0;
  for (const item of written) {
    const { spec } = item;
    const bytes = Buffer.byteLength(item.output, 'utf8');
    if (spec.argv.length === 0) {
      opts.log(`rendered ${spec.destination} (${bytes} bytes)`);
      continue;
    }
    let result = results.get(spec.command);
    if (result === undefined) {
      result = await runCommand(spec.argv, { timeoutMs: opts.commandTimeoutMs });
      results.set(spec.command, result);
      if (!result.ok) failed++;
    }
    opts.log(`rendered ${spec.destination} (${bytes} bytes); ran ${JSON.stringify(spec.command)}: ${result.summary}`);
  }
  return failed;
}
