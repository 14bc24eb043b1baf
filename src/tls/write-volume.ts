import { pack } from 'tar-stream';
import { docker } from '../cluster/docker-client.js';
import { runLabels } from '../cluster/labels.js';

/** A file (or, with no content, a directory) to put into a volume, its path relative to the mount. */
export interface VolumeEntry {
  name: string;
  content?: string;
  mode: number;
}

/**
 * Writes files into a run's volume through a labelled container that is created but never started
 * (Docker's archive API writes into its mounts), so any image works, shell or not, and key material
 * never passes through a command line or a step log. Existing files are overwritten in place.
 */
export async function writeVolume(
  runId: string,
  image: string,
  volume: string,
  mount: string,
  entries: readonly VolumeEntry[],
): Promise<void> {
  const tar = pack();
  for (const e of entries) {
    if (e.content === undefined) tar.entry({ name: e.name, type: 'directory', mode: e.mode });
    else tar.entry({ name: e.name, mode: e.mode }, e.content);
  }
  tar.finalize();
  const c = await docker().createContainer({
    Image: image,
    Cmd: ['true'],
    Labels: runLabels(runId),
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: mount }] },
  });
  try {
    await c.putArchive(tar, { path: mount });
  } finally {
    await c.remove({ force: true });
  }
}
