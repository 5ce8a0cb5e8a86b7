/**
 * The status snapshot served at `GET /v3/status` on the control socket and at `/status` by the
 * telemetry server, and printed by `autopilot status`. The app builds it from its jobs and watches.
 */

export type JobHealth = 'healthy' | 'unhealthy' | 'unknown' | 'none';

export interface JobStatus {
  name: string;
  /** The job's lifecycle state as the job runner names it (e.g. 'idle', 'running', 'stopped'). */
  state: string;
  /** 'none' when the job has no health check. */
  health: JobHealth;
  restarts: number;
  /** Times its process was spawned (absent for jobs that never report it). */
  runs?: number;
  /** null when no process is running. */
  pid: number | null;
  /** Present for jobs advertised in Consul. */
  service?: { id: string; address: string; port: number };
}

export interface WatchInstance {
  id: string;
  address: string;
  port: number;
}

export interface WatchStatus {
  /** The watch's name as written; its events come from `watch.<name>`. */
  name: string;
  kind: 'service' | 'kv';
  /** Healthy instances last seen (service watches). */
  instances: WatchInstance[];
  /** Keys last seen (KV watches). */
  keys?: string[];
}

export interface StatusSnapshot {
  version: string;
  maintenance: boolean;
  jobs: JobStatus[];
  watches: WatchStatus[];
}
