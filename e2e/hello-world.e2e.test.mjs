// The hello-world blueprint end to end, as a user runs it: `autopilot new hello-world`,
// `docker-compose build`, `up -d`, scale, pause, stop, on a Docker daemon this test starts
// itself (e2e/setup/). Every phase is timed; a failing phase is named, with its containers' logs.
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { passing, registered, upstreams } from './lib/checks.mjs';
import { answeringHosts, converge } from './lib/converge.mjs';
import { Project } from './lib/docker.mjs';
import { leftoverProcesses, teardown } from './lib/teardown.mjs';
import { Phases } from './lib/phases.mjs';
import { run, waitFor } from './lib/sh.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const setup = (name) => join(repo, 'e2e', 'setup', name);
const APP = ['hello', 'world', 'nginx'];
const ALL = ['consul', ...APP];
// Docker's default stop window (docker-compose stop -t 10).
const STOP_WINDOW_MS = 10_000;

test('hello-world blueprint: new, build, up, scale, pause, stop', { timeout: 45 * 60_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'autopilot-e2e-'));
  const dir = join(work, 'hello-world');
  let project;
  const phases = new Phases({ logsFor: (services) => (project ? project.logs(services) : '') });
  const script = (name, timeoutMs, env = process.env) => run('bash', [setup(name)], { timeoutMs, env, cwd: repo });
  let failure;
  // Should this process die without tearing down (interrupted, killed by the runner), the janitor
  // does it: it waits for our exit, then removes the containers and stops the daemon.
  const janitor = spawn('bash', [setup('janitor.sh'), String(process.pid), work], { detached: true, stdio: 'ignore' });
  janitor.unref();
  try {
    await phases.run('install docker.io, docker-compose', [], () => script('install-docker.sh', 15 * 60_000));
    const dockerHost = await phases.run('start dockerd', [], async () => {
      const { stdout } = await script('start-dockerd.sh', 60_000);
      return stdout.trim().split('\n').pop().replace(/^DOCKER_HOST=/, '');
    });
    project = new Project(dir, dockerHost);
    const env = project.env;

    await phases.run('clear leftovers of an earlier run', [], async () => {
      const { stdout } = await project.docker(['ps', '-aq']);
      const ids = stdout.split('\n').filter(Boolean);
      if (ids.length) await project.docker(['rm', '-f', ...ids], { timeoutMs: 60_000 });
      await project.docker(['network', 'prune', '-f']);
    });
    await phases.run('stand-in base images', [], () => script('build-base-images.sh', 40 * 60_000, env));
    await phases.run('autopilot binary and image', [], () => script('build-autopilot-image.sh', 10 * 60_000, env));

    await phases.run('autopilot new hello-world', [], () =>
      run(join(repo, 'dist', 'bin', 'autopilot-linux-x64'), ['new', 'hello-world', dir, '--yes'], { cwd: work, env }));
    await phases.run('docker-compose build', [], () => project.compose(['build'], { timeoutMs: 10 * 60_000 }));
    await phases.run('docker-compose up -d', ALL, () => project.compose(['up', '-d'], { timeoutMs: 5 * 60_000 }));

    const consulIp = await project.ip('consul');
    const nginxIp = await project.ip('nginx');
    const [nginxId] = await project.ids('nginx');
    const ctx = { consulIp, nginxId };

    await phases.run('hello, world, nginx passing in Consul', ALL, () =>
      waitFor('hello, world and nginx passing in Consul', async () => {
        const counts = await Promise.all(APP.map(async (s) => (await passing(consulIp, s)).length));
        return counts.every((n) => n === 1) ? counts : undefined;
      }, { describe: async () => (await Promise.all(APP.map(async (s) => `${s}=${(await passing(consulIp, s)).length}`))).join(' ') }));

    await phases.run('curl through nginx: Hello and World', ALL, async () => {
      const helloHosts = await hostnames(project, 'hello');
      const worldHosts = await hostnames(project, 'world');
      // Right after registration nginx may not have rendered yet (502 until then): bounded wait.
      for (const [service, word, hosts] of [['hello', 'Hello', helloHosts], ['world', 'World', worldHosts]]) {
        const url = `http://${nginxIp}/${service}`;
        let last = '';
        await waitFor(`curl ${url} -> "${word} from <a ${service} container>"`, async () => {
          const { stdout, stderr } = await run('curl', ['-sS', '--max-time', '3', url], { timeoutMs: 10_000, allowFail: true });
          last = (stdout || stderr).trim().slice(0, 120);
          const m = new RegExp(`^${word} from (\\S+)$`).exec(stdout.trim());
          return m && hosts.has(m[1]) ? true : undefined;
        }, { timeoutMs: 60_000, everyMs: 500, describe: () => last });
      }
    });

    const scale = (label, counts) => async () => {
      const t = performance.now();
      await project.compose(['scale', ...counts], { timeoutMs: 5 * 60_000 });
      phases.note(`${label}: docker-compose scale ${counts.join(' ')}`, performance.now() - t);
    };

    await phases.run('scale hello=10 world=6', APP, async () => {
      const r = await converge(project, { ...ctx, want: { hello: 10, world: 6 }, action: scale('scale up', ['hello=10', 'world=6']) });
      phases.note('scale up: all 10 + 6 passing in Consul (from scale start)', r.consulAt);
      phases.note('scale up: last instance passing -> nginx serving it', r.lastLag);
      phases.note('scale up: slowest instance passing -> nginx serving it', r.maxLag);
      const conf = await project.readContainerFile(nginxId, '/etc/nginx/nginx.conf');
      const up = upstreams(conf);
      if (up.hello.length + up.world.length !== 16) throw new Error(`nginx lists ${up.hello.length} + ${up.world.length} upstreams, not 16`);
      const helloHosts = await hostnames(project, 'hello');
      const { hosts, bad } = await answeringHosts(nginxIp, 'hello', 'Hello', { max: 100, enough: 10 });
      const known = [...hosts].filter((h) => helloHosts.has(h));
      if (known.length < 10) {
        throw new Error(`100 requests to /hello were answered by ${known.length} distinct hello containers, not 10 ` +
          `(${[...hosts].join(' ')}${bad.length ? `; other answers: ${bad.join(' | ')}` : ''})`);
      }
    });

    await phases.run('scale hello=2 world=1', APP, async () => {
      const r = await converge(project, { ...ctx, want: { hello: 2, world: 1 }, action: scale('scale down', ['hello=2', 'world=1']) });
      phases.note('scale down: last instance gone from Consul -> nginx drops it', r.lastLag);
      phases.note('scale down: slowest instance gone from Consul -> nginx drops it', r.maxLag);
      for (const [service, word, n] of [['hello', 'Hello', 2], ['world', 'World', 1]]) {
        const names = await hostnames(project, service);
        const { hosts, bad } = await answeringHosts(nginxIp, service, word, { max: 20 });
        const stray = [...hosts].filter((h) => !names.has(h));
        if (hosts.size !== n || stray.length || bad.length) {
          throw new Error(`/${service} answered from ${[...hosts].join(' ') || 'nobody'} (want the ${n} running: ` +
            `${[...names].join(' ')})${bad.length ? `; other answers: ${bad.join(' | ')}` : ''}`);
        }
      }
    });

    await phases.run('docker pause one hello: TTL expires, nginx drops it', ['hello', 'nginx', 'consul'], async () => {
      const [id] = await project.ids('hello');
      const [info] = await project.inspect([id]);
      const ip = Object.values(info.NetworkSettings.Networks)[0].IPAddress;
      let paused = false;
      try {
        const r = await converge(project, {
          ...ctx, want: { hello: 1, world: 1 }, timeoutMs: 60_000,
          action: async () => { paused = true; await project.docker(['pause', id]); },
        });
        if (r.instances.hello[0].includes(` ${ip}:`)) throw new Error(`the paused container ${ip} is the one still passing`);
        phases.note('pause: paused -> critical in Consul (TTL)', r.consulAt);
        phases.note('pause: critical in Consul -> nginx drops it', r.lastLag);
        const back = await converge(project, {
          ...ctx, want: { hello: 2, world: 1 }, timeoutMs: 60_000,
          action: async () => { await project.docker(['unpause', id]); paused = false; },
        });
        phases.note('unpause: passing again in Consul (from unpause)', back.consulAt);
        phases.note('unpause: passing in Consul -> back in nginx', back.lastLag);
      } finally {
        if (paused) await project.docker(['unpause', id], { allowFail: true });
      }
    });

    await phases.run('docker-compose stop: deregistered, clean exits, stop hooks', ALL, async () => {
      const ids = Object.fromEntries(await Promise.all(ALL.map(async (s) => [s, await project.ids(s)])));
      const serviceIds = (await Promise.all(APP.map((s) => registered(consulIp, s)))).flat();
      const t0 = Date.now();
      await project.compose(['stop'], { timeoutMs: 60_000 });
      phases.note('docker-compose stop', Date.now() - t0);
      const events = await stopEvents(project, t0);
      const problems = [];
      for (const service of ALL) {
        for (const info of await project.inspect(ids[service])) {
          const name = info.Name.replace(/^\//, '');
          const ev = events.get(info.Id) ?? { signals: [] };
          if (info.State.Running) problems.push(`${name} still running`);
          // Docker's window runs from the stop signal it sends each container to that one's exit.
          if (ev.signalAt === undefined || ev.dieAt === undefined) problems.push(`${name}: no stop signal or exit seen in docker events`);
          else if (ev.dieAt - ev.signalAt > STOP_WINDOW_MS) problems.push(`${name} exited ${Math.round(ev.dieAt - ev.signalAt)} ms after its stop signal (window ${STOP_WINDOW_MS} ms; signals sent: ${ev.signals.join(', ')})`);
          if (ev.signals.includes('9')) problems.push(`${name} was killed (SIGKILL) after the stop window`);
          // autopilot exits with its main job's code, 0 after a SIGTERM stop (`autopilot run --help`);
          // Consul (not supervised) exits 1 after a SIGTERM, its own convention.
          const want = service === 'consul' ? 1 : 0;
          if (info.State.ExitCode !== want) problems.push(`${name} exit code ${info.State.ExitCode}, want ${want}`);
        }
      }
      // Consul stops last (the others depend on it), so its log saw every deregistration.
      const consulLog = (await project.docker(['logs', ids.consul[0]])).stdout;
      for (const sid of serviceIds) {
        if (!consulLog.includes(`Deregistered service: service=${sid}`)) problems.push(`Consul never deregistered ${sid}`);
      }
      // The supervisor's stop hook for a service deregisters it, and logs that it did.
      for (const service of APP) {
        for (const info of await project.inspect(ids[service])) {
          const sid = `${service}-${info.Config.Hostname}`;
          const { stdout, stderr } = await project.docker(['logs', info.Id]);
          if (!(stdout + stderr).includes(`service ${sid} deregistered`)) problems.push(`${sid}: no "service ${sid} deregistered" in its log`);
        }
      }
      if (problems.length) throw new Error(problems.join('; '));
    });
  } catch (err) {
    failure = err;
  } finally {
    await phases.run('tear down', [], () => teardown(project, setup)).catch((err) => {
      failure ??= err;
    });
    process.stderr.write(phases.table());
    rmSync(work, { recursive: true, force: true });
    try {
      process.kill(-janitor.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const left = await leftoverProcesses();
  if (left.length) failure ??= new Error(`processes left behind: ${left.join('; ')}`);
  if (failure) throw failure;
});

/**
 * Per container, from `docker events` since `sinceMs`: the signals Docker sent (`kill` events),
 * when it sent the first (ms) and when the container exited (`die`).
 */
async function stopEvents(project, sinceMs) {
  const { stdout } = await project.docker(['events', '--since', (sinceMs / 1000 - 1).toFixed(3), '--until', (Date.now() / 1000).toFixed(3),
    '--filter', 'type=container', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  const byId = new Map();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    const at = Number(BigInt(e.timeNano) / 1000n) / 1000;
    const entry = byId.get(e.id) ?? { signals: [] };
    if (e.Action === 'kill') {
      entry.signals.push(e.Actor.Attributes.signal);
      entry.signalAt ??= at;
    }
    if (e.Action === 'die') entry.dieAt = at;
    byId.set(e.id, entry);
  }
  return byId;
}

/** Hostnames (Docker sets them to the short container ID) of a service's containers. */
async function hostnames(project, service) {
  const infos = await project.inspect(await project.ids(service));
  return new Set(infos.filter((i) => i.State.Running).map((i) => i.Config.Hostname));
}
