// The release's OCI image, written as an OCI image layout archive without a daemon (Docker 20.10
// and its legacy builder cannot make a multi-arch image): an index for linux/amd64 and
// linux/arm64, each image FROM scratch with one layer holding the glibc binary as
// /usr/local/bin/autopilot and the musl one as /usr/local/bin/autopilot-musl. It carries the
// binaries for `COPY --from=`; with no libc inside, it is not meant to be run.
// Reproducible: fixed file times (the commit's), sorted entries, gzip without a time stamp.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const MT = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** A reproducible tar of `dir`'s contents (GNU tar). */
function tarDir(dir, epoch) {
  const run = spawnSync('tar', ['--sort=name', `--mtime=@${epoch}`, '--owner=0', '--group=0', '--numeric-owner', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', dir, '-cf', '-', '.'], { maxBuffer: 2 ** 31 - 1 });
  if (run.status !== 0) throw new Error(`tar of ${dir} failed: ${run.stderr}`);
  return run.stdout;
}

export function buildOciImage({ out, version, commit, epoch, bins, source }) {
  const work = mkdtempSync(join(out, '.oci-'));
  try {
    const blobs = join(work, 'layout', 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const blob = (mediaType, buf, extra = {}) => {
      const hex = sha256(buf);
      writeFileSync(join(blobs, hex), buf);
      return { mediaType, digest: `sha256:${hex}`, size: buf.length, ...extra };
    };
    const json = (v) => Buffer.from(JSON.stringify(v));
    const created = new Date(epoch * 1000).toISOString();
    const labels = {
      'org.opencontainers.image.title': 'autopilot',
      'org.opencontainers.image.version': version,
      'org.opencontainers.image.revision': commit,
      'org.opencontainers.image.licenses': 'MPL-2.0',
      ...(source ? { 'org.opencontainers.image.source': source } : {}),
    };
    const manifests = [];
    for (const arch of ['amd64', 'arm64']) {
      const cpu = arch === 'amd64' ? 'x64' : 'arm64';
      const root = join(work, `rootfs-${arch}`, 'usr', 'local', 'bin');
      mkdirSync(root, { recursive: true });
      copyFileSync(bins.find((b) => b.cpu === cpu && b.libc === 'glibc').path, join(root, 'autopilot'));
      copyFileSync(bins.find((b) => b.cpu === cpu && b.libc === 'musl').path, join(root, 'autopilot-musl'));
      const tar = tarDir(join(work, `rootfs-${arch}`), epoch);
      const layer = blob(MT.layer, gzipSync(tar, { level: 9 }));
      const config = blob(MT.config, json({ created, architecture: arch, os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] }, history: [{ created, created_by: 'npm run release' }] }));
      const manifest = blob(MT.manifest, json({ schemaVersion: 2, mediaType: MT.manifest, config, layers: [layer], annotations: labels }), { platform: { architecture: arch, os: 'linux' } });
      manifests.push(manifest);
    }
    const index = blob(MT.index, json({ schemaVersion: 2, mediaType: MT.index, manifests, annotations: labels }), { annotations: { 'org.opencontainers.image.ref.name': version } });
    writeFileSync(join(work, 'layout', 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(join(work, 'layout', 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MT.index, manifests: [index] }));
    mkdirSync(join(out, 'oci'), { recursive: true });
    const file = join(out, 'oci', `autopilot-${version}.oci.tar`);
    writeFileSync(file, tarDir(join(work, 'layout'), epoch));
    return { file, index: index.digest, platforms: manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `skopeo inspect` of each platform of the archive, when skopeo is installed: a second reader of the layout. */
export function inspectWithSkopeo(file, version) {
  const which = spawnSync('skopeo', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) return undefined;
  return ['amd64', 'arm64'].map((arch) => {
    const run = spawnSync('skopeo', ['--override-os', 'linux', '--override-arch', arch, 'inspect', `oci-archive:${file}:${version}`], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`skopeo inspect (${arch}) of ${file} failed: ${run.stderr.trim()}`);
    const info = JSON.parse(run.stdout);
    if (info.Architecture !== arch || info.Labels?.['org.opencontainers.image.version'] !== version) throw new Error(`skopeo sees ${info.Architecture} ${info.Labels?.['org.opencontainers.image.version']}, not ${arch} ${version}`);
    return `${info.Os}/${info.Architecture}: version ${info.Labels['org.opencontainers.image.version']}, layer ${info.Layers[0].slice(0, 19)}`;
  });
}

