import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { docker } from '../../src/cluster/docker-client.js';
import { LABEL_OWNER } from '../../src/cluster/labels.js';

/** Docker objects (containers, networks, volumes) whose owner label names this process id. */
export async function objectsOwnedBy(pid: number): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_OWNER}=${hostname()}:${pid}`] });
  const d = docker();
  const [c, n, v] = await Promise.all([d.listContainers({ all: true, filters }), d.listNetworks({ filters }), d.listVolumes({ filters })]);
  return c.length + n.length + (v.Volumes?.length ?? 0);
}

/** `firedrill <args>` as a child process, its stdout and stderr collected together. */
export function spawnFiredrill(args: string[]) {
  const child = spawn('node', ['bin/firedrill.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: (): string => out,
    /** Resolves once the output contains `text` (or after `timeoutMs`, for the assertion to say so). */
    async waitFor(text: string, timeoutMs = 90_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/**
 * `firedrill run <args>` into a fresh reports directory, Ctrl-C (SIGINT) once its output shows
 * `when`; asserts the exit code 130 and returns the one run's report with where it was written.
 */
export async function interruptedRun(args: string[], when: string): Promise<{ report: RunReport; runDir: string; runId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-interrupt-'));
  const run = spawnFiredrill(['run', ...args, '--reports', dir]);
  await run.waitFor(when);
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
  const [runId] = readdirSync(dir);
  const runDir = join(dir, runId!);
  return { report: JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport, runDir, runId: runId! };
}
