// The hello-world blueprint end to end, as a user runs it: `autopilot new hello-world`,
// `docker compose build`, `up -d`, scale, pause, stop, on a Docker daemon this test starts
// itself (e2e/setup/); then up and scale again under Compose v1 (`docker-compose`). Every phase
// is timed; a failing phase is named, with its containers' logs.
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { passing } from './lib/checks.mjs';
import { composeV1Scale } from './lib/compose-v1.mjs';
import { answeringHosts, converge } from './lib/converge.mjs';
import { run, waitFor } from './lib/sh.mjs';
import { Project } from './lib/docker.mjs';
import { hostnames, scaleAction, scaleUpAndCheck } from './lib/scale.mjs';
import { checkImageBinary, checkPinned, loadOciImage, releaseSums, runContainerPilotImage } from './lib/release-checks.mjs';
import { npxAutopilot, withStack } from './lib/stack.mjs';
import { composeStop } from './lib/stop.mjs';
import { measureFirstConfig } from './lib/first-config.mjs';
import { consulAgentProject } from './lib/consul-agent.mjs';

const APP = ['hello', 'world', 'nginx'];
const ALL = ['consul', ...APP];

test('hello-world blueprint: new, build, up, scale, pause, stop (Compose v2); up, scale (v1)', { timeout: 45 * 60_000 }, () => withStack('hello-world', async ({ project, phases, dir, work, registry }) => {
  const env = project.env;
  const cli = project.composeCommand;

  await phases.run('npx autopilot-pattern new hello-world (from the registry)', [], async () => {
    await npxAutopilot(project, work, ['new', 'hello-world', dir, '--yes']);
    await checkPinned(join(dir, 'hello', 'Dockerfile'));
  });
  await phases.run(`${cli} build`, [], () => project.compose(['build'], { timeoutMs: 10 * 60_000 }));
  await phases.run(`${cli} up -d`, ALL, () => project.compose(['up', '-d'], { timeoutMs: 5 * 60_000 }));

  const consulIp = await project.ip('consul');
  const nginxIp = await project.ip('nginx');
  const [nginxId] = await project.ids('nginx');
  const ctx = { consulIp, nginxId, nginxIp };

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

  await phases.run('Docker sees hello, world, nginx healthy (HEALTHCHECK: autopilot health)', APP, async () => {
    const ids = (await Promise.all(APP.map((s) => project.ids(s)))).flat();
    const health = async () => (await project.inspect(ids)).map((c) => `${c.Name}=${c.State.Health?.Status ?? 'no healthcheck'}`);
    await waitFor('every container healthy in docker inspect', async () => ((await health()).every((h) => h.endsWith('=healthy')) ? true : undefined), { timeoutMs: 90_000, everyMs: 1000, describe: async () => (await health()).join(' ') });
  });

  await phases.run('the images run the release\'s binary', APP, async () => {
    for (const service of APP) await checkImageBinary(project, (await project.ids(service))[0]);
  });
  await phases.run('the release\'s OCI image, through skopeo', [], () => loadOciImage(project, work));
  await phases.run('an image written for ContainerPilot, only its binary swapped', ['consul'], async () => {
    const { stopMs } = await runContainerPilotImage(project, { consulIp, registry: env.NPM_CONFIG_REGISTRY });
    phases.note('containerpilot image: docker stop -> exited 0', stopMs);
  });

  await phases.run(`${cli} scale hello=10 world=6`, APP, () => scaleUpAndCheck(project, phases, ctx));

  await phases.run(`${cli} scale hello=2 world=1`, APP, async () => {
    const r = await converge(project, { ...ctx, want: { hello: 2, world: 1 }, action: scaleAction(project, phases, 'scale down', ['hello=2', 'world=1']) });
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

  await phases.run(`${cli} stop: deregistered, clean exits, stop hooks`, ALL, () =>
    composeStop(project, phases, { consulIp, all: ALL, app: APP }));

  await phases.run('nginx\'s first config: 502s before the first 200, without and with the preStart render', ALL, () =>
    measureFirstConfig(project, phases, { dir, path: '/hello' }));

  await phases.run('Compose v1: docker-compose up -d, docker-compose scale hello=10 world=6, nginx follows', ALL, () =>
    composeV1Scale(project, phases, { name: basename(dir), built: APP, app: APP }));

  await phases.run('new hello-world --consul-agent: an agent in each container, autopilot registers through it', [], async () => {
    await project.compose(['down', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000 });
    await consulAgentProject(project, phases, work);
  });

  // Air-gapped builds: `new --vendor` (run while the registry is up, as npx needs it), then the
  // registry goes away and the vendored project still builds, with the release's binary inside.
  await phases.run('new --vendor: builds with no registry at all (docker-compose build, Compose v1)', [], async () => {
    const vendored = join(work, 'vendored');
    await npxAutopilot(project, work, ['new', 'hello-world', vendored, '--yes', '--vendor']);
    await registry.stop();
    const offline = new Project(vendored, project.env.DOCKER_HOST, { compose: 'v1' });
    offline.env.NPM_CONFIG_REGISTRY = 'http://10.232.0.1:4873/';
    await offline.compose(['build', 'hello'], { timeoutMs: 10 * 60_000 });
    const { stdout } = await offline.docker(['run', '--rm', '--entrypoint', 'sha256sum', 'vendored_hello', '/usr/local/bin/autopilot']);
    const want = releaseSums()['autopilot-linux-x64'];
    if (stdout.split(/\s+/)[0] !== want) throw new Error(`the vendored image's autopilot has sha256 ${stdout.split(/\s+/)[0]}, not the release's ${want}`);
    const twice = await offline.docker(['run', '--rm', '--entrypoint', 'ls', 'vendored_hello', '/opt/hello'], { allowFail: true });
    if (twice.code !== 0 || twice.stdout.split('\n').includes('autopilot')) throw new Error(`/opt/hello in the vendored image: ${twice.stdout.trim()} ${twice.stderr.trim()} (the binary must be in the image once, not also beside the app)`);
  });
}));
