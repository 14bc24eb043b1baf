import { expect, it } from 'vitest';
import { objectsOwnedBy, spawnFiredrill } from './firedrill-process.js';

it('`firedrill up` holds the cluster until Ctrl-C, then removes everything it created', async () => {
  const up = spawnFiredrill(['up', '--members', '1', '--version', '3.5']);
  await up.waitFor('Ctrl-C removes the cluster', 60_000);
  expect(up.output()).toMatch(/etcd-1 +id [0-9a-f]+ +http:\/\/10\.213\.\d+\.11:2379/);
  expect(up.output()).toMatch(/docker exec -it firedrill-\S+-etcd-1 etcdctl --endpoints=http:\/\/\S+ endpoint status -w table/);
  // Still holding a moment later (it must not exit on its own), and its objects exist.
  await new Promise((r) => setTimeout(r, 1500));
  expect(up.child.exitCode).toBeNull();
  expect(await objectsOwnedBy(up.child.pid!)).toBeGreaterThan(0);
  up.child.kill('SIGINT');
  expect(await up.exited).toBe(130);
  expect(up.output()).toMatch(/SIGINT, tearing down/);
  expect(await objectsOwnedBy(up.child.pid!)).toBe(0);
});
