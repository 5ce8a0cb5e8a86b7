// Real nginx behind `autopilot render`: the rendered upstream is what nginx serves through after
// the command (`nginx -s reload`) ran.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { deregisterInstance, registerInstance, runProgram, runRender, waitFor } from '../../testing/render-support.js';

let agent: ConsulAgent;
let prefix: string;
let nginx: ChildProcess | undefined;
const servers: Server[] = [];

const TEMPLATE = `worker_processes 1;
daemon off;
pid {{ env "NGINX_PREFIX" }}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path {{ env "NGINX_PREFIX" }}/client_body;
    proxy_temp_path {{ env "NGINX_PREFIX" }}/proxy;
    fastcgi_temp_path {{ env "NGINX_PREFIX" }}/fastcgi;
    uwsgi_temp_path {{ env "NGINX_PREFIX" }}/uwsgi;
    scgi_temp_path {{ env "NGINX_PREFIX" }}/scgi;
    upstream web {
        {{ range service "web" }}server {{ .Address }}:{{ .Port }};
        {{ else }}server 127.0.0.1:1 down;
        {{ end }}
    }
    server {
        listen 127.0.0.1:{{ env "NGINX_PORT" }};
        location / { proxy_pass http://web; }
    }
}
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

/** A loopback HTTP server answering its own name. */
function instance(name: string): Promise<number> {
  return new Promise((resolve) => {
    const srv = createHttpServer((_req, res) => res.end(name));
    servers.push(srv);
    srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port));
  });
}

before(async () => {
  prefix = mkdtempSync(join(tmpdir(), 'render-nginx-'));
  agent = await startConsulAgent();
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGTERM');
    const t = setTimeout(() => nginx!.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  }
  for (const s of servers) s.close();
  await agent?.stop();
  rmSync(prefix, { recursive: true, force: true });
});

test('nginx reloads with the rendered upstreams and serves through the new instances', async () => {
  const [portA, portB, nginxPort] = [await instance('A'), await instance('B'), await freePort()];
  const tpl = join(prefix, 'nginx.conf.ctmpl');
  writeFileSync(tpl, TEMPLATE);
  const conf = join(prefix, 'nginx.conf');
  const env = { NGINX_PREFIX: prefix, NGINX_PORT: String(nginxPort) };
  const reload = `nginx -p ${prefix} -c ${conf} -e stderr -s reload`;
  const curl = async () => (await runProgram('curl', ['-s', '--max-time', '2', `http://127.0.0.1:${nginxPort}/`], { timeoutMs: 5_000 })).stdout;

  await registerInstance(agent, { node: 'node-1', id: 'web-a', service: 'web', port: portA });
  const first = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${conf}`], { env });
  assert.equal(first.status, 0, first.stderr);

  let nginxLog = '';
  nginx = spawn('nginx', ['-p', prefix, '-c', conf, '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr!.on('data', (c: Buffer) => (nginxLog += c.toString('utf8')));
  nginx.once('error', (e) => (nginxLog += `spawn: ${e.message}`));
  await waitFor('nginx serving instance A', async () => (await curl()) === 'A').catch((e: Error) => {
    throw new Error(`${e.message}; nginx said: ${nginxLog}`);
  });

  // B replaces A: render, reload, and every request reaches B.
  await registerInstance(agent, { node: 'node-1', id: 'web-b', service: 'web', port: portB });
  await deregisterInstance(agent, 'node-1', 'web-a');
  const second = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${conf}:${reload}`], { env });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`; ran ".*-s reload": exit 0\\n$`));
  // Old workers finish gracefully after a reload and may answer a moment longer: wait until the
  // new configuration alone answers, five requests in a row.
  await waitFor('nginx serving only instance B', async () => {
    for (let i = 0; i < 5; i++) if ((await curl()) !== 'B') return false;
    return true;
  });

  // Both: requests are spread over A and B.
  await registerInstance(agent, { node: 'node-1', id: 'web-a', service: 'web', port: portA });
  const third = await runRender(['-once', '-consul', agent.address, '-template', `${tpl}:${conf}:${reload}`], { env });
  assert.equal(third.status, 0, third.stderr);
  const seen = new Set<string>();
  await waitFor('nginx serving both instances', async () => {
    seen.add(await curl());
    return seen.has('A') && seen.has('B');
  });
  assert.equal(nginx.exitCode, null, nginxLog);
});
