/**
 * Turns the TLS settings (file paths) into node:tls options for the HTTPS agent. Like Consul's
 * own client, CONSUL_CAPATH loads every regular file of the directory as PEM.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFailure } from '../../base/os-errors.js';
import type { ConsulTlsConfig } from '../config/model.js';

export interface NodeTlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

export class ConsulTlsError extends Error {
  override name = 'ConsulTlsError';
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConsulTlsError(`consul tls: ${readFailure(what, path, err)}`);
  }
}

export function loadTlsFiles(tls: ConsulTlsConfig): NodeTlsOptions {
  const out: NodeTlsOptions = { rejectUnauthorized: tls.verify };
  const ca: string[] = [];
  if (tls.cafile) ca.push(read(tls.cafile, 'CA file'));
  if (tls.capath) {
    let names: string[];
    try {
      names = readdirSync(tls.capath).sort();
    } catch (err) {
      throw new ConsulTlsError(`consul tls: ${readFailure('CA directory', tls.capath, err)}`);
    }
    for (const name of names) {
      const p = join(tls.capath, name);
      if (statSync(p).isFile()) ca.push(read(p, 'CA file'));
    }
  }
  if (ca.length > 0) out.ca = ca;
  if (tls.clientcert) out.cert = read(tls.clientcert, 'client certificate');
  if (tls.clientkey) out.key = read(tls.clientkey, 'client key');
  if (tls.servername) out.servername = tls.servername;
  return out;
}
