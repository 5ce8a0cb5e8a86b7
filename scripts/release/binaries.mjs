// The four single-file binaries of a release: built, checked to be what their names say (CPU and
// C library, read from the ELF header, since a mixed-up target would only fail on a user's
// machine), copied into the release folder with a SHA256SUMS file in sha256sum's format.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PLATFORMS = [
  { platform: 'linux-x64', cpu: 'x64', libc: 'glibc', ociArch: 'amd64' },
  { platform: 'linux-arm64', cpu: 'arm64', libc: 'glibc', ociArch: 'arm64' },
  { platform: 'linux-x64-musl', cpu: 'x64', libc: 'musl', ociArch: 'amd64' },
  { platform: 'linux-arm64-musl', cpu: 'arm64', libc: 'musl', ociArch: 'arm64' },
];

export const binaryName = (platform) => `autopilot-${platform}`;

function readAt(fd, position, length) {
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, position);
  return buf;
}

/** CPU and C library of an ELF executable: e_machine, and the loader named by PT_INTERP. */
export function elfInfo(path) {
  const fd = openSync(path, 'r');
  try {
    const h = readAt(fd, 0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) throw new Error(`${path}: not a 64-bit little-endian ELF file`);
    const machine = { 62: 'x64', 183: 'arm64' }[h.readUInt16LE(18)] ?? `e_machine ${h.readUInt16LE(18)}`;
    const phoff = Number(h.readBigUInt64LE(32));
    const phentsize = h.readUInt16LE(54);
    let interp = '';
    for (let i = 0; i < h.readUInt16LE(56); i++) {
      const ph = readAt(fd, phoff + i * phentsize, phentsize);
      if (ph.readUInt32LE(0) !== 3) continue; // PT_INTERP
      interp = readAt(fd, Number(ph.readBigUInt64LE(8)), Number(ph.readBigUInt64LE(32))).toString('latin1').replace(/\0+$/, '');
    }
    return { cpu: machine, libc: interp.includes('ld-musl-') ? 'musl' : interp.includes('ld-linux-') ? 'glibc' : `loader "${interp}"`, interp };
  } finally {
    closeSync(fd);
  }
}

export async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Copies dist/bin's four binaries into `<out>/bin`, checks each, writes SHA256SUMS; returns [{platform, path, sha256, size}]. */
export async function collectBinaries(distBin, out) {
  const dir = join(out, 'bin');
  mkdirSync(dir, { recursive: true });
  const result = [];
  for (const p of PLATFORMS) {
    const path = join(dir, binaryName(p.platform));
    copyFileSync(join(distBin, binaryName(p.platform)), path);
    const elf = elfInfo(path);
    if (elf.cpu !== p.cpu || elf.libc !== p.libc) throw new Error(`${binaryName(p.platform)} is ${elf.cpu} with ${elf.libc} (${elf.interp}), not ${p.cpu} with ${p.libc}`);
    result.push({ ...p, path, sha256: await sha256File(path) });
  }
  writeFileSync(join(dir, 'SHA256SUMS'), result.map((b) => `${b.sha256}  ${binaryName(b.platform)}\n`).join(''));
  return result;
}
