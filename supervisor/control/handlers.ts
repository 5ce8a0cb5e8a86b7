import type { StatusSnapshot } from '../status/types.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * What the control endpoints do, implemented by the app. Each may be async; the response is sent
 * once it settles. Throw RejectedRequest for a client mistake (answered 4xx), anything else is a 500.
 */
export interface ControlHandlers {
  /** `POST /v3/environ`: set variables in the environment of jobs started afterwards. */
  putEnv(vars: Record<string, string>): MaybePromise<void>;
  /** `POST /v3/reload`: resolve once the new config is accepted; never wait for this server's own restart. */
  reload(): MaybePromise<void>;
  /** `POST /v3/metric`: record values of metrics declared in `telemetry.metrics`. */
  putMetric(values: Record<string, number>): MaybePromise<void>;
  /** `POST /v3/maintenance/enable|disable`. */
  setMaintenance(on: boolean): MaybePromise<void>;
  /** `GET /v3/status`. */
  status(): MaybePromise<StatusSnapshot>;
}
