import { PKI_MOUNT } from '../cluster/etcd-flags.js';
import type { ClusterPki } from './certificates.js';
import { writeVolume, type VolumeEntry } from './write-volume.js';

/** File name → content, as members see them under PKI_MOUNT (keys readable by root only). */
export function pkiFiles(pki: ClusterPki): VolumeEntry[] {
  const files: VolumeEntry[] = [
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
 * Writes the certificates into the run's labelled PKI volume (see writeVolume). Called again to
 * rotate certificates: files are overwritten in place.
 */
export async function writePkiVolume(runId: string, image: string, volume: string, pki: ClusterPki): Promise<void> {
  await writeVolume(runId, image, volume, PKI_MOUNT, pkiFiles(pki));
}
