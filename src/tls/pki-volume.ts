import { pack } from 'tar-stream';
import { docker } from '../cluster/docker-client.js';
import { PKI_MOUNT } from '../cluster/etcd-flags.js';
import { runLabels } from '../cluster/labels.js';
import type { ClusterPki } from './certificates.js';

/** File name → content, as members see them under PKI_MOUNT (keys readable by root only). */
export function pkiFiles(pki: ClusterPki): Array<{ name: string; content: string; mode: number }> {
  const files = [
    { name: 'ca.crt', content: pki.ca.cert, mode: 0o644 },
    { name: 'client.crt', content: pki.client.cert, mode: 0o644 },
    { name: 'client.key', content: pki.client.key, mode: 0o600 },
  ];
  for (const [name, pair] of Object.entries(pki.members)) {
    files.push({ name: `${name}.crt`, content: pair.cert, mode: 0o644 }, { name: `${name}.key`, content: pair.key, mode: 0o600 });
  }
  return files;
}

/**
 * Writes the certificates into the run's labelled PKI volume through a container that is created
 * but never started (Docker's archive API writes into its mounts), so any image works, shell or not.
 * Called again to rotate certificates: files are overwritten in place.
 */
export async function writePkiVolume(runId: string, image: string, volume: string, pki: ClusterPki): Promise<void> {
  const tar = pack();
  for (const f of pkiFiles(pki)) tar.entry({ name: f.name, mode: f.mode }, f.content);
  tar.finalize();
  const c = await docker().createContainer({
    Image: image,
    Cmd: ['true'],
    Labels: runLabels(runId),
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: PKI_MOUNT }] },
  });
  try {
    await c.putArchive(tar, { path: PKI_MOUNT });
  } finally {
    await c.remove({ force: true });
  }
}
