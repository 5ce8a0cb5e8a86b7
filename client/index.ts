/**
 * autopilot-pattern-client: find the healthy instances of a service in Consul from app code, on
 * Node, Bun and Deno, with no dependencies. The functions below use one shared `Services`,
 * created on first use from the environment; `new Services(options)` makes another.
 */
import { Services, type ServicesOptions } from './services.js';
import type { Instance } from './health.js';

export { Services, NoHealthyInstanceError, type ServicesOptions } from './services.js';
export { ConsulAnswerError, type Instance } from './health.js';

let shared: Services | undefined;

/** The shared client (created from the environment on first use). */
export function client(): Services {
  shared ??= new Services();
  return shared;
}

/** One healthy instance of `name`, round-robin; rejects when none passes (after `timeoutMs`, if given). */
export const service = (name: string, opts?: { timeoutMs?: number }): Promise<Instance> => client().service(name, opts);

/** Every healthy instance of `name`. */
export const services = (name: string): Promise<Instance[]> => client().services(name);

/** Keeps `name` fresh with blocking queries; `onChange(instances)` runs on every change. Returns the client. */
export function watch(name: string, onChange?: (instances: Instance[]) => void): Services {
  const c = client();
  if (onChange) c.on('change', (changed: string, instances: Instance[]) => changed === name && onChange(instances));
  return c.watch(name);
}

/** Stops the shared client's watches and SIGHUP listener. */
export function close(): void {
  shared?.close();
  shared = undefined;
}

export type { ServicesOptions as Options };
