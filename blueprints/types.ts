/** What a blueprint manifest declares: its services, built from components, and its README. */

import type { DatabaseKind } from './databases.js';

/** A folder under templates/ that knows how to render one kind of service. */
export type Component = 'consul' | 'nginx' | 'node-service' | 'todo-api' | 'database';

export interface ServiceSpec {
  name: string;
  component: Component;
  /** The port the service listens on inside its container. */
  port: number;
  /** Host port to publish; only the entry points (nginx, consul) publish, so the rest scale. */
  publish?: number;
  /** Services this one watches in Consul (for nginx: one upstream each). */
  backends?: string[];
  /** node-service: the word it answers with. */
  word?: string;
  /** database: which one (blueprints/databases.ts). */
  database?: DatabaseKind;
}

export interface Blueprint {
  name: string;
  description: string;
  services: ServiceSpec[];
  /** The README template under templates/readme/. */
  readme: string;
  /** The `--scale` flags of the example in docker-compose.yml's header (stateless services only). */
  scaleExample: string;
  /** Shell commands shown after generation (run inside the project). */
  nextSteps: string[];
}
