import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import { interruptedRun } from './firedrill-process.js';

it('Ctrl-C during `firedrill run` leaves the evidence (report marked incomplete, member logs) and nothing running', async () => {
  const { report, runDir, runId } = await interruptedRun(['leader-kill'], 'fault   kill the leader');
  expect(report.complete).toBe(false);
  expect(report.error).toMatch(/interrupted/);
  expect(report.steps.length).toBeGreaterThan(0);
  for (const m of ['etcd-1', 'etcd-2', 'etcd-3']) expect(existsSync(join(runDir, 'members', `${m}.log`))).toBe(true);
  const left = await docker().listContainers({ all: true, filters: JSON.stringify({ label: [`io.etcd-firedrill.run=${runId}`] }) });
  expect(left).toHaveLength(0);
});
