import { hostname } from 'node:os';
import { docker } from './docker-client.js';
import { LABEL_OWNER, LABEL_RUN, labelFilter } from './labels.js';

export interface ReapResult {
  containers: string[];
  networks: string[];
  volumes: string[];
  /** Runs left alone because their owning process is still alive. */
  skippedLiveRuns: string[];
}

function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what runs left behind: containers, then networks, then volumes, all carrying our tool
 * label (and the run label when `runId` is given). Objects of a run whose owner process is still
 * alive are left alone unless `force`. Nothing without our labels is ever listed, so never touched.
 */
export async function reap(opts: { runId?: string; force?: boolean } = {}): Promise<ReapResult> {
  const filters = JSON.stringify(labelFilter(opts.runId));
  const d = docker();
  const result: ReapResult = { containers: [], networks: [], volumes: [], skippedLiveRuns: [] };
  const keep = (labels: Record<string, string> | undefined): boolean => {
    if (opts.force || !ownerAlive(labels?.[LABEL_OWNER])) return false;
    const run = labels?.[LABEL_RUN] ?? '?';
    if (!result.skippedLiveRuns.includes(run)) result.skippedLiveRuns.push(run);
    return true;
  };

  const containers = await d.listContainers({ all: true, filters });
  await Promise.all(
    containers
      .filter((c) => !keep(c.Labels))
      .map(async (c) => {
        await d.getContainer(c.Id).remove({ force: true, v: false });
        result.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id);
      }),
  );
  for (const n of await d.listNetworks({ filters })) {
    if (keep(n.Labels)) continue;
    await d.getNetwork(n.Id).remove();
    result.networks.push(n.Name);
  }
  const { Volumes } = await d.listVolumes({ filters });
  for (const v of Volumes ?? []) {
    if (keep(v.Labels ?? undefined)) continue;
    await d.getVolume(v.Name).remove({ force: true });
    result.volumes.push(v.Name);
  }
  return result;
}
