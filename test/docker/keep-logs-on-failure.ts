import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, type TestContext } from 'vitest';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';

/**
 * For tests that drive a cluster directly (no run report of their own): when a test failed, every
 * member's log is kept under reports/test/failed/<run>-<test>/ and the last lines are printed, so
 * a failure seen once in CI can be read afterwards instead of guessed at. Call it before the
 * cluster is removed.
 */
export async function keepLogsIfFailed(
  context: Pick<TestContext, 'task'>,
  cluster: StartedCluster | undefined,
  tailLines = 25,
): Promise<void> {
  if (context.task.result?.state !== 'fail' || !cluster) return;
  const dir = join('reports/test/failed', `${cluster.runId}-${context.task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}`);
  mkdirSync(dir, { recursive: true });
  const logs = await cluster.logs().catch((e: unknown) => ({ '(logs)': `could not read the logs: ${String(e)}` }));
  const tails: string[] = [];
  for (const [host, text] of Object.entries(logs)) {
    writeFileSync(join(dir, `${host}.log`), text);
    tails.push(`--- ${host} (last ${tailLines} lines)`, ...text.trimEnd().split('\n').slice(-tailLines));
  }
  console.log(`member logs of the failed test kept in ${dir}\n${tails.join('\n')}`);
}

/** The same for a file whose tests share one cluster (removed in its afterAll, which runs later). */
export function keepLogsOnFailure(cluster: () => StartedCluster | undefined): void {
  afterEach((context) => keepLogsIfFailed(context, cluster()));
}
