import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import type { RunReport } from '../../src/report/run-report.js';
import { spawnFiredrill } from './firedrill-process.js';

it('Ctrl-C during `firedrill run` leaves the evidence (report marked incomplete, member logs) and nothing running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-interrupt-'));
  const run = spawnFiredrill(['run', 'leader-kill', '--reports', dir]);
  await run.waitFor('fault   kill the leader');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);

  const [runId] = readdirSync(dir);
  const report = JSON.parse(readFileSync(join(dir, runId!, 'report.json'), 'utf8')) as RunReport;
  expect(report.complete).toBe(false);
  expect(report.error).toMatch(/interrupted/);
  expect(report.steps.length).toBeGreaterThan(0);
  for (const m of ['etcd-1', 'etcd-2', 'etcd-3']) expect(existsSync(join(dir, runId!, 'members', `${m}.log`))).toBe(true);
  const left = await docker().listContainers({ all: true, filters: JSON.stringify({ label: [`io.etcd-firedrill.run=${runId}`] }) });
  expect(left).toHaveLength(0);
});
