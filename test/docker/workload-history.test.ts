import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/checks/linearizable.js';
import { startCluster } from '../../src/cluster/start-cluster.js';
import { KvHistory, type KvRecord } from '../../src/workload/kv-history.js';
import { KvWorkload, closeKvClients, kvClients } from '../../src/workload/kv-workload.js';

describe('rich KV workload against a real 3-member cluster', () => {
  it('records every kind of operation with answers and revisions, stops by itself, and the history is linearizable', async () => {
    await using cluster = await startCluster({ members: 3, version: '3.5' });
    const clients = kvClients(cluster, { pinned: 3, clusterWide: 2 });
    try {
      const workload = new KvWorkload(clients, { rate: 150, durationMs: 3000, maxOps: 2000, keys: 3, seed: 42 }).start();
      await workload.done; // bounded in time: no stop() needed
      const h = workload.history;
      const kinds = new Set(
        h.records
          .filter((r) => r.outcome === 'ok')
          .map((r) => (r.input.type === 'get' && r.input.serializable ? 'serializable get' : r.input.type)),
      );
      for (const kind of ['get', 'serializable get', 'put', 'delete', 'cas', 'grant-lease', 'revoke-lease']) expect(kinds).toContain(kind);
      const puts = h.records.filter((r) => r.input.type === 'put' && r.outcome === 'ok');
      expect(puts.some((r) => r.input.type === 'put' && r.input.lease)).toBe(true);
      expect(puts.every((r) => typeof r.output?.revision === 'number' && r.output.revision > 1)).toBe(true);
      expect(h.records.filter((r) => r.input.type === 'cas' && r.outcome === 'ok').some((r) => r.output?.succeeded)).toBe(true);
      expect(new Set(h.records.map((r) => r.client))).toEqual(new Set(['c0@etcd-1', 'c1@etcd-2', 'c2@etcd-3', 'c3@cluster', 'c4@cluster']));
      // One clock, ids in call order, every record closed.
      expect(h.records.every((r, i) => r.id === i && r.ret >= r.call)).toBe(true);
      expect(h.records.every((r, i) => i === 0 || r.call >= h.records[i - 1]!.call)).toBe(true);
      const verdict = verdictFor(h, { budgetMs: 30_000 });
      console.log(`${verdict.status}: ${verdict.message}`);
      expect(verdict.status).toBe('pass');
      expect(h.records.length).toBeGreaterThan(100);

      // Negative control: the same history with one linearizable read answering a value nobody
      // wrote, or a store revision from before the previous read on that key, must fail.
      const reads = h.records.filter((r) => r.input.type === 'get' && !r.input.serializable && r.outcome === 'ok');
      const victim = reads[Math.floor(reads.length / 2)]!;
      const tampered = (change: (r: KvRecord) => KvRecord): KvHistory => {
        const copy = new KvHistory(h.t0);
        copy.records.push(...h.records.map((r) => (r === victim ? change(r) : r)));
        return copy;
      };
      expect(verdictFor(tampered((r) => ({ ...r, output: { ...r.output, exists: true, value: 'never-written' } }))).status).toBe('fail');
      const earlier = reads.filter(
        (r) => r.input.type === 'get' && victim.input.type === 'get' && r.input.key === victim.input.key && r.ret < victim.call,
      );
      const floor = Math.max(0, ...earlier.map((r) => r.output!.revision!));
      if (floor > 1) expect(verdictFor(tampered((r) => ({ ...r, output: { ...r.output, revision: floor - 1 } }))).status).toBe('fail');
    } finally {
      closeKvClients(clients);
    }
  });
});
