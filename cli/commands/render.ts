import { after } from '../../supervisor/timers/timers.js';
import { whenPipeCloses } from '../closed-pipe.js';
import { UserError } from '../../base/errors.js';
import { daemonJit } from '../jit-policy.js';

/**
 * `autopilot render -consul host:port -template "in.ctmpl:out.conf:cmd" [-template ...] [-once] [-wait min[:max]]`:
 * consul-template's job for blueprints. With `--once` renders, writes what changed, runs the
 * commands and exits (1 when a command failed); otherwise keeps watching Consul until SIGTERM or
 * SIGINT. Progress lines go to stdout, failures to stderr as one line.
 */
export async function renderCommand(o: Record<string, unknown>): Promise<number> {
  const { RenderConsul, RenderError, RenderWatch, SpecError, WaitError, parseTemplateSpec, parseWait, renderOnce } = await import('../../supervisor/render/index.js');
  const { resolveConsulSettings } = await import('../../supervisor/discovery/settings.js');
  const raw = o['template'];
  const flags = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (flags.length === 0) throw new UserError('render: at least one --template "in.ctmpl:out.conf[:command]" is required');
  const consulFlag = o['consul'];
  if (consulFlag !== undefined && (typeof consulFlag !== 'string' || consulFlag === '')) throw new UserError('render: --consul needs an address (host:port)');
  // cac reads `-wait 0` as a number and a repeated flag as a list: the last one counts.
  const waitRaw = o['wait'];
  const waitFlag = Array.isArray(waitRaw) ? waitRaw[waitRaw.length - 1] : waitRaw;
  let specs;
  let wait;
  try {
    specs = flags.map(parseTemplateSpec);
    if (waitFlag !== undefined) wait = parseWait(typeof waitFlag === 'boolean' ? '' : String(waitFlag));
  } catch (err) {
    if (err instanceof SpecError || err instanceof WaitError) throw new UserError(err.message);
    throw err;
  }
  const consul = new RenderConsul(resolveConsulSettings(consulFlag as string | undefined, process.env));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (o['once'] === true) return (await renderOnce(specs, { consul, log })) > 0 ? 1 : 0;
    daemonJit();
    const watch = new RenderWatch(specs, { consul, log, wait });
    const onSignal = () => void watch.stop();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    const stopWatching = whenPipeCloses(onSignal); // nobody reads the progress lines any more
    try {
      await watch.done;
    } finally {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      stopWatching();
      // An aborted blocking query some runtimes leave open must not hold the exit for its wait.
      after(1000, () => process.exit()).unref();
    }
    return 0;
  } catch (err) {
    if (err instanceof RenderError) throw new UserError(err.message, err.exitCode);
    throw err;
  } finally {
    consul.close();
  }
}
