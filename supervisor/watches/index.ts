/**
 * Watches: Consul service (and KV) watches publishing on the event bus.
 *
 * Interface for the app:
 *   const watches = startWatches(config.watches, { client: discovery.client, bus, log });
 *   watches.get('backend')?.instances()   // [{ address, port, id }] for status
 *   await watches.stop()                  // aborts in-flight queries; resolves when all ended
 *
 * Events, source `watch.<name>`:
 *   service watch: `changed` when the set of passing address:port pairs changes, followed by
 *     `healthy` if instances remain or `unhealthy` if none do (ContainerPilot v3 order);
 *     the first answer counts as a change only when it has instances.
 *   KV watch: `changed` when a key appears, disappears or its value changes.
 * In `autopilot run`: `part.ts` (createPart(config) -> WatchesPart with start/reload/stop and
 * list() of the running watches for status).
 * Consul being down never throws: failures are logged with back-off and the watch recovers.
 */
import type { WatchConfig } from '../config/model.js';
import { Watch, type WatchDeps } from './watch.js';

export { Watch, type WatchDeps, type WatchQueries } from './watch.js';

export interface WatchSet {
  readonly watches: readonly Watch[];
  get(name: string): Watch | undefined;
  stop(): Promise<void>;
}

export function startWatches(configs: readonly WatchConfig[], deps: WatchDeps): WatchSet {
  const watches = configs.map((c) => new Watch(c, deps));
  for (const w of watches) w.start();
  return {
    watches,
    get: (name) => watches.find((w) => w.name === name),
    stop: async () => {
      await Promise.all(watches.map((w) => w.stop()));
    },
  };
}
