/**
 * Turns the TLS settings (file paths) into node:tls options for the HTTPS agent. Like Consul's
 * own client, CONSUL_CAPATH loads every regular file of the directory as PEM.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFailure } from '../../base/os-errors.js';
import type { ConsulTlsSettings } from './settings.js';

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

export function loadTlsFiles(tls: ConsulTlsSettings): NodeTlsOptions {
  const out: NodeTlsOptions = { rejectUnauthorized: tls.verify };
  const ca: string[] = [];
  if (tls.caFile) ca.push(read(tls.caFile, 'CA file'));
  if (tls.caPath) {
    let names: string[];
    try {
      names = readdirSync(tls.caPath).sort();
    } catch (err) {
      throw new ConsulTlsError(`consul tls: ${readFailure('CA directory', tls.caPath, err)}`);
    }
    for (const name of names) {
      const p = join(tls.caPath, name);
      if (statSync(p).isFile()) ca.push(read(p, 'CA file'));
    }
  }
  if (ca.length > 0) out.ca = ca;
  if (tls.certFile) out.cert = read(tls.certFile, 'client certificate');
  if (tls.keyFile) out.key = read(tls.keyFile, 'client key');
  if (tls.serverName) out.servername = tls.serverName;
  return out;
}
