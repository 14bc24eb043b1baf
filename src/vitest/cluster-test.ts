import { test } from 'vitest';
import type { ClusterSpec } from '../cluster/cluster-spec.js';
import { startCluster } from '../cluster/start-cluster.js';
import type { StartedCluster } from '../cluster/started-cluster.js';

export interface ClusterFixtures {
  /** What the `cluster` fixture starts; override per file with `clusterTest.scoped({ clusterSpec: {...} })`. */
  clusterSpec: ClusterSpec;
  /** A started etcd cluster (every member healthy, one leader), removed after the test whatever happened. */
  cluster: StartedCluster;
}

/**
 * `test` with a started cluster, the way testcontainers users write suites: the fixture starts it
 * when a test asks for `cluster` and tears it down (containers, network, volumes) after that test.
 */
export const clusterTest = test.extend<ClusterFixtures>({
  clusterSpec: { members: 3, version: '3.5' },
  cluster: async ({ clusterSpec }, use) => {
    const cluster = await startCluster(clusterSpec);
    try {
      await use(cluster);
    } finally {
      await cluster.stop();
    }
  },
});
