import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export interface ConsulPorts {
  http: number;
  /** LAN gossip: TCP and UDP on the same number. */
  serfLan: number;
  /** Server RPC (TCP). */
  server: number;
}

/** A TCP port on 127.0.0.1 the kernel just handed out (bind to 0, read it, release it). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.once('error', () => {
      sock.close();
      resolve(false);
    });
    sock.bind({ port, address: '127.0.0.1', exclusive: true }, () => sock.close(() => resolve(true)));
  });
}

/** Distinct free loopback ports for one agent (serf's port must be free for UDP as well). */
export async function freeConsulPorts(): Promise<ConsulPorts> {
  const taken = new Set<number>();
  const next = async (udpToo: boolean): Promise<number> => {
    for (let i = 0; i < 50; i++) {
      const port = await freeTcpPort();
      if (taken.has(port)) continue;
      if (udpToo && !(await udpPortFree(port))) continue;
      taken.add(port);
      return port;
    }
    throw new Error('could not find a free loopback port in 50 tries');
  };
  return { http: await next(false), serfLan: await next(true), server: await next(false) };
}
