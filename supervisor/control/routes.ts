/**
 * The control endpoints, as ContainerPilot v3 defines them (plus `/v3/env` as an alias of
 * `/v3/environ`, and `/v3/status`). A route returns the JSON to send, or null for ContainerPilot's
 * empty 200 answer ("\n").
 */
import { parseEnvBody, parseMetricBody } from './bodies.js';
import type { ControlHandlers } from './handlers.js';

export interface Route {
  methods: readonly string[];
  run(body: string, handlers: ControlHandlers): Promise<unknown>;
}

const putEnv: Route = {
  methods: ['POST'],
  async run(body, h) {
    await h.putEnv(parseEnvBody(body));
    return null;
  },
};

export const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/v3/environ', putEnv],
  ['/v3/env', putEnv],
  [
    '/v3/reload',
    {
      methods: ['POST'],
      async run(_body, h) {
        await h.reload();
        return null;
      },
    },
  ],
  [
    '/v3/metric',
    {
      methods: ['POST'],
      async run(body, h) {
        await h.putMetric(parseMetricBody(body));
        return null;
      },
    },
  ],
  [
    '/v3/maintenance/enable',
    {
      methods: ['POST'],
      async run(_body, h) {
        await h.setMaintenance(true);
        return null;
      },
    },
  ],
  [
    '/v3/maintenance/disable',
    {
      methods: ['POST'],
      async run(_body, h) {
        await h.setMaintenance(false);
        return null;
      },
    },
  ],
  ['/v3/ping', { methods: ['GET', 'HEAD'], run: async () => null }],
  ['/v3/status', { methods: ['GET', 'HEAD'], run: async (_body, h) => await h.status() }],
]);
