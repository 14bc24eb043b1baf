import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import { LABEL_OWNER } from '../../src/cluster/labels.js';

async function ownedBy(pid: number): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_OWNER}=${hostname()}:${pid}`] });
  const d = docker();
  const [c, n, v] = await Promise.all([d.listContainers({ all: true, filters }), d.listNetworks({ filters }), d.listVolumes({ filters })]);
  return c.length + n.length + (v.Volumes?.length ?? 0);
}

it('`firedrill up` holds the cluster until Ctrl-C, then removes everything it created', async () => {
  const child = spawn('node', ['bin/firedrill.mjs', 'up', '--members', '1', '--version', '3.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Ctrl-C removes the cluster') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(out).toMatch(/etcd-1 +id [0-9a-f]+ +http:\/\/10\.213\.\d+\.11:2379/);
  expect(out).toMatch(/docker exec -it firedrill-\S+-etcd-1 etcdctl --endpoints=http:\/\/\S+ endpoint status -w table/);
  // Still holding a moment later (it must not exit on its own), and its objects exist.
  await new Promise((r) => setTimeout(r, 1500));
  expect(child.exitCode).toBeNull();
  expect(await ownedBy(child.pid!)).toBeGreaterThan(0);
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(out).toMatch(/SIGINT, tearing down/);
  expect(await ownedBy(child.pid!)).toBe(0);
});
