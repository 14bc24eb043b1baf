import { describe, expect, it } from 'vitest';
import { quotaRoom } from '../../src/checks/quota-room.js';
import type { RunContext } from '../../src/run/run-context.js';

const MiB = 1024 * 1024;
const ctxWith = (sizes: Record<string, number | Error>): RunContext =>
  ({
    cluster: {
      statuses: async () =>
        new Map(Object.entries(sizes).map(([name, s]) => [{ name }, s instanceof Error ? s : { dbSize: s, dbSizeInUse: 500_000 }])),
    },
  }) as unknown as RunContext;

describe('quotaRoom', () => {
  it('passes when every member is under half the quota', async () => {
    const v = await quotaRoom(16 * MiB).run(ctxWith({ 'etcd-1': 600_000, 'etcd-2': 700_000 }));
    expect(v.status).toBe('pass');
  });
  it('names the member whose file stayed full (compacted, not defragmented)', async () => {
    const v = await quotaRoom(16 * MiB).run(ctxWith({ 'etcd-1': 600_000, 'etcd-2': 16_666_624 }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^etcd-2 past 50% of the 16\.8 MB quota, not defragmented: .*etcd-2 16\.7 MB \(in use 0\.5 MB\)/);
  });
  it('cannot judge a member that does not answer', async () => {
    const v = await quotaRoom(16 * MiB).run(ctxWith({ 'etcd-1': 600_000, 'etcd-2': new Error('timeout') }));
    expect(v.status).toBe('unknown');
  });
});
