import { hostname } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { imageTag } from '../../docker/etcd-versions.js';
import { docker } from '../../src/cluster/docker-client.js';
import { LABEL_OWNER, runLabels } from '../../src/cluster/labels.js';
import { reap } from '../../src/cluster/reaper.js';

const image = imageTag('3.4');
const decoyName = `not-firedrill-decoy-${process.pid}`;
afterAll(async () => {
  await docker()
    .getContainer(decoyName)
    .remove({ force: true })
    .catch(() => {});
});

async function sleeper(name: string, labels: Record<string, string>): Promise<void> {
  const c = await docker().createContainer({
    name,
    Image: image,
    Cmd: ['sleep', '300'],
    Labels: labels,
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
}

async function exists(name: string): Promise<boolean> {
  return docker()
    .getContainer(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

it('reap removes a labelled leftover of a dead run, keeps live runs, and never touches an unlabelled container', async () => {
  const deadRun = `reaptest-dead-${process.pid}`;
  const liveRun = `reaptest-live-${process.pid}`;
  // A run whose owner is gone (pid 2^22+1 is above Linux's pid_max default): a leftover.
  await sleeper(`firedrill-${deadRun}`, { ...runLabels(deadRun), [LABEL_OWNER]: `${hostname()}:4194305` });
  await docker().createVolume({
    Name: `firedrill-${deadRun}-vol`,
    Labels: { ...runLabels(deadRun), [LABEL_OWNER]: `${hostname()}:4194305` },
  });
  await sleeper(`firedrill-${liveRun}`, runLabels(liveRun));
  await sleeper(decoyName, { purpose: 'decoy' });

  const r = await reap();
  expect(r.containers).toContain(`firedrill-${deadRun}`);
  expect(r.volumes).toContain(`firedrill-${deadRun}-vol`);
  expect(r.skippedLiveRuns).toContain(liveRun);
  expect(await exists(`firedrill-${deadRun}`)).toBe(false);
  expect(await exists(`firedrill-${liveRun}`)).toBe(true);
  expect(await exists(decoyName)).toBe(true);

  const forced = await reap({ runId: liveRun, force: true });
  expect(forced.containers).toEqual([`firedrill-${liveRun}`]);
  expect(await exists(decoyName)).toBe(true);
});
