// `new hello-world --consul-agent` on the e2e daemon: every container's agent joins the consul
// service, autopilot registers each service through its own container's agent (so Consul lists it
// on that container's node, not the server's), and nginx serves /hello from the passing instances.
import { join } from 'node:path';
import { httpGet, Project } from './docker.mjs';
import { hostnames } from './scale.mjs';
import { run, waitFor } from './sh.mjs';
import { npxAutopilot } from './stack.mjs';

const APP = ['hello', 'world', 'nginx'];

/** Passing instances of `service` with the Consul node each is registered on. */
async function passingOn(consulIp, service) {
  const { status, body } = await httpGet(`http://${consulIp}:8500/v1/health/service/${service}?passing`);
  if (status !== 200) throw new Error(`Consul answered ${status} for ${service}`);
  return JSON.parse(body).map((e) => ({ node: e.Node.Node, address: e.Service.Address }));
}

export async function consulAgentProject(project, phases, work) {
  const dir = join(work, 'agents');
  await npxAutopilot(project, work, ['new', 'hello-world', dir, '--yes', '--consul-agent']);
  const agents = new Project(dir, project.env.DOCKER_HOST);
  agents.env.NPM_CONFIG_REGISTRY = project.env.NPM_CONFIG_REGISTRY;
  try {
    let t = performance.now();
    await agents.compose(['build'], { timeoutMs: 10 * 60_000 });
    await agents.compose(['up', '-d'], { timeoutMs: 5 * 60_000 });
    const consulIp = await agents.ip('consul');
    const seen = {};
    await waitFor('hello, world and nginx passing, each on its own container\'s node', async () => {
      for (const s of APP) seen[s] = await passingOn(consulIp, s);
      return APP.every((s) => seen[s].length === 1) ? true : undefined;
    }, { timeoutMs: 120_000, everyMs: 500, describe: () => JSON.stringify(seen) });
    phases.note('--consul-agent: up -d -> hello, world, nginx passing', performance.now() - t);
    for (const s of APP) {
      const hosts = await hostnames(agents, s);
      if (!hosts.has(seen[s][0].node)) throw new Error(`${s} is registered on Consul node ${seen[s][0].node}, not on its container's agent (${[...hosts].join(' ')})`);
    }
    const { body } = await httpGet(`http://${consulIp}:8500/v1/catalog/nodes`);
    const nodes = JSON.parse(body).map((n) => n.Node);
    if (nodes.length !== 4) throw new Error(`Consul has ${nodes.length} nodes (${nodes.join(' ')}), not the server and the 3 containers' agents`);
    const nginxIp = await agents.ip('nginx');
    const helloHosts = await hostnames(agents, 'hello');
    const { stdout } = await run('curl', ['-sS', '--max-time', '3', `http://${nginxIp}/hello`], { timeoutMs: 10_000, allowFail: true });
    const m = /^Hello from (\S+)$/.exec(stdout.trim());
    if (!m || !helloHosts.has(m[1])) throw new Error(`/hello through nginx answered ${JSON.stringify(stdout.trim())}`);
  } catch (err) {
    throw new Error(`${err.message}\n${await agents.logs(['consul', ...APP]).catch(() => '')}`);
  } finally {
    await agents.compose(['down', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000, allowFail: true });
  }
}
