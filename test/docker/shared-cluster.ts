import { afterAll, beforeAll } from 'vitest';
import type { ClusterSpec } from '../../src/cluster/cluster-spec.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { startCluster } from '../../src/cluster/start-cluster.js';
import { keepLogsOnFailure } from './keep-logs-on-failure.js';

/**
 * One cluster for every test of the enclosing describe: started before the first, removed after
 * the last, member logs kept when a test fails. `use` receives it once it is ready.
 */
export function sharedCluster(spec: ClusterSpec, use: (cluster: StartedCluster) => void): void {
  let cluster: StartedCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(spec);
    use(cluster);
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  keepLogsOnFailure(() => cluster);
}
