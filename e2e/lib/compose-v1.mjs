// The same project under Compose v1 (Debian's `docker-compose`), after the full run under v2:
// v2's containers go, v1 brings the project up and scales it as a user types it, and nginx must
// follow. v1 starts from the images v2 built, tagged with v1's names, so nothing is built twice
// (v1's builder has its own check: the vendored project is built with it).
import { passing } from './checks.mjs';
import { waitFor } from './sh.mjs';
import { scaleUpAndCheck } from './scale.mjs';

/** name: the compose project (the directory's name); built: its services that have a build. */
export async function composeV1Scale(project, phases, { name, built, app }) {
  await project.compose(['down', '--remove-orphans', '-t', '10'], { timeoutMs: 120_000 });
  // v2 names a project's images <project>-<service>, v1 <project>_<service>.
  for (const service of built) await project.docker(['tag', `${name}-${service}`, `${name}_${service}`]);
  project.composeVersion = 'v1';
  let t = performance.now();
  await project.compose(['up', '-d', '--no-build'], { timeoutMs: 5 * 60_000 });
  phases.note('v1: docker-compose up -d', performance.now() - t);
  const consulIp = await project.ip('consul');
  const nginxIp = await project.ip('nginx');
  const [nginxId] = await project.ids('nginx');
  t = performance.now();
  await waitFor(`${app.join(', ')} passing in Consul`, async () => {
    const counts = await Promise.all(app.map(async (s) => (await passing(consulIp, s)).length));
    return counts.every((n) => n === 1) ? counts : undefined;
  });
  phases.note('v1: up -> every service passing in Consul', performance.now() - t);
  await scaleUpAndCheck(project, phases, { consulIp, nginxIp, nginxId }, 'v1 scale up');
}
