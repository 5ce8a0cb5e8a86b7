/**
 * The metrics declared in `telemetry.metrics`, which jobs feed through `POST /v3/metric` (or
 * `autopilot ctl putmetric`). A value is applied as ContainerPilot does: a counter adds it, a
 * gauge is set to it, a histogram or summary observes it.
 */
import { Counter, Gauge, Histogram, Summary, validateMetricName, type Registry } from 'prom-client';
import type { MetricConfig, MetricType } from '../config/model.js';
import { RejectedRequest } from '../../base/errors.js';

/** `namespace_subsystem_name`, skipping empty parts as Prometheus' BuildFQName does. */
export function fullMetricName(m: Pick<MetricConfig, 'namespace' | 'subsystem' | 'name'>): string {
  return [m.namespace, m.subsystem, m.name].filter((p) => p !== '').join('_');
}

interface UserMetric {
  type: MetricType;
  apply(value: number): void;
}

function create(cfg: MetricConfig, name: string, registry: Registry): UserMetric {
  const common = { name, help: cfg.help || name, registers: [registry] };
  switch (cfg.type) {
    case 'counter': {
      const c = new Counter(common);
      return { type: 'counter', apply: (v) => c.inc(v) };
    }
    case 'gauge': {
      const g = new Gauge(common);
      return { type: 'gauge', apply: (v) => g.set(v) };
    }
    case 'histogram': {
      // prom-client's default buckets are Prometheus' DefBuckets, as in ContainerPilot.
      const h = new Histogram(common);
      return { type: 'histogram', apply: (v) => h.observe(v) };
    }
    case 'summary': {
      const s = new Summary({ ...common, percentiles: [0.5, 0.9, 0.99] });
      return { type: 'summary', apply: (v) => s.observe(v) };
    }
  }
}

export class UserMetrics {
  private readonly byName = new Map<string, UserMetric>();
  private readonly declared: string[] = [];

  constructor(configs: readonly MetricConfig[], registry: Registry) {
    configs.forEach((cfg, i) => {
      const name = fullMetricName(cfg);
      if (!validateMetricName(name)) throw new Error(`telemetry.metrics[${i}]: "${name}" is not a valid Prometheus metric name`);
      if (this.byName.has(name)) throw new Error(`telemetry.metrics[${i}]: metric "${name}" is declared twice`);
      this.byName.set(name, create(cfg, name, registry));
      this.declared.push(name);
      // ContainerPilot matched putmetric keys against the three parts joined with "_" even when
      // one is empty ("_sub_name"); accept that spelling too.
      const joined = [cfg.namespace, cfg.subsystem, cfg.name].join('_');
      if (joined !== name && !this.byName.has(joined)) this.byName.set(joined, this.byName.get(name)!);
    });
  }

  names(): string[] {
    return [...this.declared];
  }

  /** Applies every value, or none: any unknown name or impossible value rejects the whole request. */
  apply(values: Record<string, number>): void {
    const unknown = Object.keys(values).filter((n) => !this.byName.has(n));
    if (unknown.length > 0) {
      const known = this.names();
      throw new RejectedRequest(`unknown metric ${unknown.join(', ')} (telemetry.metrics declares ${known.length ? known.join(', ') : 'none'})`);
    }
    for (const [name, value] of Object.entries(values)) {
      if (!Number.isFinite(value)) throw new RejectedRequest(`value of metric ${name} must be a finite number`);
      if (this.byName.get(name)!.type === 'counter' && value < 0) throw new RejectedRequest(`counter ${name} cannot decrease (got ${value})`);
    }
    for (const [name, value] of Object.entries(values)) this.byName.get(name)!.apply(value);
  }
}
