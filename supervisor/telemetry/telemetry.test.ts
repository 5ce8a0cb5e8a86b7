import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { MetricConfig, TelemetryConfig } from '../config/model.js';
import type { StatusSnapshot } from '../status/types.js';
import { RejectedRequest } from '../../base/errors.js';
import { Telemetry, type TelemetryServer } from './index.js';
import { parsePrometheusText, type Exposition } from './prometheus-text.js';

const metric = (namespace: string, subsystem: string, name: string, type: MetricConfig['type']): MetricConfig => ({ namespace, subsystem, name, help: `help for ${name}`, type });

const config: TelemetryConfig = {
  port: 9090,
  interfaces: ['eth0'],
  tags: ['metrics'],
  metrics: [
    metric('app', 'web', 'requests_total', 'counter'),
    metric('app', 'web', 'queue_depth', 'gauge'),
    metric('app', '', 'latency_seconds', 'histogram'),
    metric('app', 'db', 'query_seconds', 'summary'),
  ],
};

const snapshot: StatusSnapshot = { version: '0.1.0', maintenance: true, jobs: [{ name: 'app', state: 'running', health: 'healthy', restarts: 1, pid: 7 }], watches: [] };

interface Answer {
  status: number;
  type: string;
  body: string;
}

function get(port: number, path: string, method = 'GET', host = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}

describe('telemetry server', () => {
  let telemetry: Telemetry;
  let server: TelemetryServer;
  const scrape = async (): Promise<Exposition> => {
    const res = await get(server.port, '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(res.body);
  };

  before(async () => {
    telemetry = new Telemetry(config, '0.1.0');
    server = (await telemetry.start({ address: '127.0.0.1', port: 0, status: () => snapshot }))!;
  });
  after(() => telemetry.stop());

  it('declares user metrics as namespace_subsystem_name with their type and help', async () => {
    const m = await scrape();
    assert.equal(m.types.get('app_web_requests_total'), 'counter');
    assert.equal(m.types.get('app_web_queue_depth'), 'gauge');
    assert.equal(m.types.get('app_latency_seconds'), 'histogram');
    assert.equal(m.types.get('app_db_query_seconds'), 'summary');
    assert.equal(m.help.get('app_web_queue_depth'), 'help for queue_depth');
    assert.deepEqual(telemetry.metricNames(), ['app_web_requests_total', 'app_web_queue_depth', 'app_latency_seconds', 'app_db_query_seconds']);
  });

  it('a counter adds each value', async () => {
    telemetry.putMetrics({ app_web_requests_total: 2 });
    telemetry.putMetrics({ app_web_requests_total: 3.5 });
    assert.equal((await scrape()).samples.get('app_web_requests_total'), 5.5);
  });

  it('a gauge is set to the last value', async () => {
    telemetry.putMetrics({ app_web_queue_depth: 7 });
    telemetry.putMetrics({ app_web_queue_depth: -2.5 });
    assert.equal((await scrape()).samples.get('app_web_queue_depth'), -2.5);
  });

  it('a histogram observes each value into the default buckets', async () => {
    telemetry.putMetrics({ app_latency_seconds: 0.3 });
    telemetry.putMetrics({ app_latency_seconds: 4 });
    const s = (await scrape()).samples;
    assert.equal(s.get('app_latency_seconds_bucket{le="0.25"}'), 0);
    assert.equal(s.get('app_latency_seconds_bucket{le="0.5"}'), 1);
    assert.equal(s.get('app_latency_seconds_bucket{le="2.5"}'), 1);
    assert.equal(s.get('app_latency_seconds_bucket{le="5"}'), 2);
    assert.equal(s.get('app_latency_seconds_bucket{le="+Inf"}'), 2);
    assert.equal(s.get('app_latency_seconds_sum'), 4.3);
    assert.equal(s.get('app_latency_seconds_count'), 2);
  });

  it('a summary observes each value, with quantiles 0.5, 0.9 and 0.99', async () => {
    for (const v of [1, 2, 3, 4, 5]) telemetry.putMetrics({ app_db_query_seconds: v });
    const s = (await scrape()).samples;
    assert.equal(s.get('app_db_query_seconds_count'), 5);
    assert.equal(s.get('app_db_query_seconds_sum'), 15);
    assert.equal(s.get('app_db_query_seconds{quantile="0.5"}'), 3);
    const p99 = s.get('app_db_query_seconds{quantile="0.99"}')!;
    assert.ok(p99 > 4 && p99 <= 5, String(p99));
    assert.ok(s.has('app_db_query_seconds{quantile="0.9"}'));
  });

  it('several metrics in one request; ContainerPilot\'s "_sub_name" spelling of an empty part works', async () => {
    telemetry.putMetrics({ app__latency_seconds: 0.001, app_web_queue_depth: 1 });
    const s = (await scrape()).samples;
    assert.equal(s.get('app_latency_seconds_count'), 3);
    assert.equal(s.get('app_web_queue_depth'), 1);
  });

  it('rejects unknown names and negative counter values, applying nothing', async () => {
    assert.throws(
      () => telemetry.putMetrics({ app_web_queue_depth: 99, nope: 1 }),
      (err: unknown) => err instanceof RejectedRequest && err.status === 422 && /^unknown metric nope \(telemetry\.metrics declares app_web_requests_total, /.test(err.message),
    );
    assert.throws(() => telemetry.putMetrics({ app_web_queue_depth: 99, app_web_requests_total: -1 }), /counter app_web_requests_total cannot decrease \(got -1\)/);
    const s = (await scrape()).samples;
    assert.equal(s.get('app_web_queue_depth'), 1);
    assert.equal(s.get('app_web_requests_total'), 5.5);
  });

  it('exposes the built-in metrics the supervisor records', async () => {
    const r = telemetry.recorder;
    r.event('startup', 'global');
    r.event('healthy', 'app');
    r.event('healthy', 'app');
    r.jobRestart('app');
    r.healthCheck('app', 0.02, true);
    r.healthCheck('app', 3, false);
    r.watchInstances('backend', 3);
    r.watchInstances('backend', 2);
    r.controlRequest('/v3/reload', 200);
    const m = await scrape();
    const s = m.samples;
    assert.equal(m.types.get('containerpilot_events'), 'counter');
    assert.equal(s.get('containerpilot_events{code="startup",source="global"}'), 1);
    assert.equal(s.get('containerpilot_events{code="healthy",source="app"}'), 2);
    assert.equal(s.get('containerpilot_job_restarts{job="app"}'), 1);
    assert.equal(m.types.get('containerpilot_health_check_duration_seconds'), 'histogram');
    assert.equal(s.get('containerpilot_health_check_duration_seconds_count{job="app",result="passed"}'), 1);
    assert.equal(s.get('containerpilot_health_check_duration_seconds_bucket{le="0.025",job="app",result="passed"}'), 1);
    assert.equal(s.get('containerpilot_health_check_duration_seconds_sum{job="app",result="failed"}'), 3);
    assert.equal(m.types.get('containerpilot_watch_instances'), 'gauge');
    assert.equal(s.get('containerpilot_watch_instances{service="backend"}'), 2);
    assert.equal(s.get('containerpilot_control_http_requests{code="200",path="/v3/reload"}'), 1);
  });

  it('counts bus events once subscribed', async () => {
    const handlers: Array<(e: { code: string; source: string }) => void> = [];
    const bus = { subscribe: (fn: (e: { code: string; source: string }) => void) => (handlers.push(fn), () => handlers.splice(handlers.indexOf(fn), 1)) };
    const unsubscribe = telemetry.recordEvents(bus);
    handlers.forEach((h) => h({ code: 'changed', source: 'watch.backend' }));
    unsubscribe();
    assert.equal(handlers.length, 0);
    assert.equal((await scrape()).samples.get('containerpilot_events{code="changed",source="watch.backend"}'), 1);
  });

  it('serves /status as JSON', async () => {
    const res = await get(server.port, '/status');
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    assert.deepEqual(JSON.parse(res.body), snapshot);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    assert.deepEqual(await get(server.port, '/nope'), { status: 404, type: 'text/plain; charset=utf-8', body: 'Not Found: no endpoint /nope\n' });
    assert.deepEqual(await get(server.port, '/metrics', 'POST'), { status: 405, type: 'text/plain; charset=utf-8', body: 'Method Not Allowed: /metrics requires GET, not POST\n' });
    assert.equal((await get(server.port, '/metrics', 'HEAD')).status, 200);
  });

  it('listens only on the address it was given', async () => {
    await assert.rejects(get(server.port, '/metrics', 'GET', '127.0.0.2'), /ECONNREFUSED/);
  });

  it('describes the containerpilot service for discovery', () => {
    const svc = telemetry.service()!;
    assert.deepEqual({ ...svc, isHealthy: svc.isHealthy() }, { name: 'containerpilot', port: server.port, interfaces: ['eth0'], tags: ['metrics', '0.1.0'], ttlMs: 15000, heartbeatMs: 5000, isHealthy: true });
  });
});

describe('telemetry lifecycle', () => {
  it('stop closes the port even with a kept-alive scraper connection, and health turns off', async () => {
    const telemetry = new Telemetry({ ...config, metrics: [] });
    const server = (await telemetry.start({ address: '127.0.0.1', port: 0, status: () => snapshot }))!;
    const svc = telemetry.service()!;
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: server.port, path: '/metrics', agent }, (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d));
          res.once('end', () => resolve(b));
        })
          .once('error', reject)
          .end();
      });
      assert.match(body, /# TYPE containerpilot_events counter/);
      await telemetry.stop();
      assert.equal(svc.isHealthy(), false);
      await assert.rejects(get(server.port, '/metrics'), /ECONNREFUSED/);
    } finally {
      agent.destroy();
      await telemetry.stop();
    }
  });

  it('reports a port already in use', async () => {
    const first = new Telemetry({ ...config, metrics: [] });
    const server = (await first.start({ address: '127.0.0.1', port: 0, status: () => snapshot }))!;
    try {
      const second = new Telemetry({ ...config, metrics: [] });
      await assert.rejects(second.start({ address: '127.0.0.1', port: server.port, status: () => snapshot }), new RegExp(`^Error: telemetry: cannot listen on 127\\.0\\.0\\.1:${server.port}: EADDRINUSE$`));
    } finally {
      await first.stop();
    }
  });

  it('refuses invalid or duplicate metric names', () => {
    assert.throws(() => new Telemetry({ ...config, metrics: [metric('app', 'web', 'bad-name', 'gauge')] }), /^Error: telemetry\.metrics\[0\]: "app_web_bad-name" is not a valid Prometheus metric name$/);
    assert.throws(() => new Telemetry({ ...config, metrics: [metric('a', '', 'b', 'gauge'), metric('a', '', 'b', 'counter')] }), /telemetry\.metrics\[1\]: metric "a_b" is declared twice/);
  });

  it('is inert when the config has no telemetry', async () => {
    const off = new Telemetry(undefined);
    assert.equal(off.enabled, false);
    assert.equal(await off.start({ address: '127.0.0.1', status: () => snapshot }), null);
    assert.equal(off.service(), null);
    off.recorder.event('startup', 'global');
    assert.throws(() => off.putMetrics({ app_x: 1 }), /^RejectedRequest: unknown metric app_x \(no telemetry in the config\)$/);
    assert.equal((await off.registry.metrics()).trim(), '');
    await off.stop();
  });
});
