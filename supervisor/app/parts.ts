/**
 * Loads the optional parts of `autopilot run` (Consul discovery, watches, the control socket,
 * telemetry). Each is built against the narrow interfaces of part-types.ts; the app only
 * starts, reloads and stops them, and lets discovery hook into each job's lifecycle.
 *
 * A part is a module `supervisor/<part>/part.ts` exporting `createPart(config: Config):
 * AppPart | undefined` (discovery: a DiscoveryPart), or a promise of one when the part loads
 * what this config needs of it first (telemetry: prom-client, only with a `telemetry` block). Each is imported by a literal specifier so
 * the single-file binary's bundler includes it, and only when a config is loaded, so the
 * generator never pays for them.
 */
import type { Config } from '../config/model.js';
import type { AppPart, AppParts } from './part-types.js';

type PartModule = { createPart?: (config: Config) => AppPart | undefined | Promise<AppPart | undefined> };
type PartName = 'discovery' | 'watches' | 'control' | 'telemetry';
const PART_NAMES: readonly PartName[] = ['discovery', 'watches', 'control', 'telemetry'];

/** Parts imported by literal specifiers, so bundlers (bun build --compile) include them. */
const BUILT_IN: Record<PartName, () => Promise<PartModule>> = {
  discovery: () => import('../discovery/part.js'),
  watches: () => import('../watches/part.js'),
  control: () => import('../control/part.js'),
  telemetry: () => import('../telemetry/part.js'),
};

/** Parts that only exist with a `consul` block: without one, their modules are not even loaded. */
const NEEDS_CONSUL: ReadonlySet<PartName> = new Set(['discovery', 'watches']);

/** Loads the parts that are built in and wanted by this config. */
export async function loadParts(config: Config): Promise<AppParts> {
  const parts: AppParts = {};
  for (const name of PART_NAMES) {
    // Their createPart returns nothing without Consul; skipping the import spares the Consul
    // client's load at every start.
    if (NEEDS_CONSUL.has(name) && !config.consul) continue;
    const mod = await BUILT_IN[name]();
    const part = await mod?.createPart?.(config);
    if (part) (parts as Record<string, AppPart>)[name] = part;
  }
  return parts;
}

