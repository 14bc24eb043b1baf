import { describe, expect, it } from 'vitest';
import { History, classifyWriteError } from '../../src/workload/history.js';

describe('classifyWriteError', () => {
  it('treats errors etcd refuses before raft as definite failures', () => {
    expect(classifyWriteError('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.0.1:2379')).toBe('fail');
  });
  it('treats timeouts and lost connections as unknown: the write may still be applied', () => {
    expect(classifyWriteError('4 DEADLINE_EXCEEDED: Deadline exceeded after 3.001s')).toBe('unknown');
    expect(classifyWriteError('etcdserver: request timed out, possibly due to previous leader failure')).toBe('unknown');
    expect(classifyWriteError('14 UNAVAILABLE: Connection dropped')).toBe('unknown');
    // The put that crosses the quota is applied, then answered with this error.
    expect(classifyWriteError('etcdserver: mvcc: database space exceeded')).toBe('unknown');
  });
});

describe('History', () => {
  it('records call and return times, outcome, error and the current mark', async () => {
    const h = new History();
    await h.record('/a', '1', async () => {});
    h.mark = 'after';
    const op = await h.record('/b', '2', async () => {
      throw new Error('etcdserver: request timed out');
    });
    expect(h.ops[0]).toMatchObject({ key: '/a', outcome: 'ok', mark: 'seed', api: 3 });
    expect(op).toMatchObject({ key: '/b', outcome: 'unknown', mark: 'after', error: 'etcdserver: request timed out' });
    expect(op.ret).toBeGreaterThanOrEqual(op.call);
    expect(h.count('ok')).toBe(1);
  });
});
