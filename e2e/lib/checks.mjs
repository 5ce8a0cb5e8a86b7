// What Consul and nginx say about the blueprint's services.
import { httpGet } from './docker.mjs';

/** Passing instances of `service` in Consul: [{ id, address, port }]. */
export async function passing(consulIp, service) {
  const { status, body } = await httpGet(`http://${consulIp}:8500/v1/health/service/${service}?passing`);
  if (status !== 200) throw new Error(`Consul answered ${status} for ${service}: ${body.slice(0, 200)}`);
  return JSON.parse(body).map((e) => ({ id: e.Service.ID, address: e.Service.Address, port: e.Service.Port }));
}

/** Every registered service ID in Consul's catalog for `service` (passing or not). */
export async function registered(consulIp, service) {
  const { status, body } = await httpGet(`http://${consulIp}:8500/v1/catalog/service/${service}`);
  if (status !== 200) throw new Error(`Consul answered ${status} for ${service}: ${body.slice(0, 200)}`);
  return JSON.parse(body).map((e) => e.ServiceID);
}

/** The `server host:port` lines of each `upstream name { ... }` in an nginx.conf, minus `down` ones. */
export function upstreams(conf) {
  const out = {};
  const re = /upstream\s+([\w.-]+)\s*\{([^}]*)\}/g;
  for (const m of conf.matchAll(re)) {
    out[m[1]] = [...m[2].matchAll(/^\s*server\s+([^\s;]+)([^;]*);/gm)]
      .filter((s) => !/\bdown\b/.test(s[2]))
      .map((s) => s[1]);
  }
  return out;
}

export const addrs = (instances) => instances.map((i) => `${i.address}:${i.port}`).sort();

export const sameSet = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
