import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/checks/linearizable.js';
import { KvHistory, classifyKvError } from '../../src/workload/kv-history.js';

describe('classifyKvError', () => {
  it('a missing lease and a refused connection are definite failures; a timeout is unknown', () => {
    expect(classifyKvError('etcdserver: requested lease not found')).toBe('fail');
    expect(classifyKvError('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.0.1:2379')).toBe('fail');
    expect(classifyKvError('4 DEADLINE_EXCEEDED: Deadline exceeded')).toBe('unknown');
    expect(classifyKvError('etcdserver: mvcc: database space exceeded')).toBe('unknown');
  });
});

describe('KvHistory', () => {
  it('records call and return on one clock, the answer and the outcome; never throws', async () => {
    const h = new KvHistory();
    const ok = await h.record('c0@etcd-1', { type: 'put', key: '/k', value: 'a' }, async () => ({ revision: 2 }));
    const lost = await h.record('c1@cluster', { type: 'put', key: '/k', value: 'b' }, async () => {
      throw new Error('4 DEADLINE_EXCEEDED: Deadline exceeded');
    });
    const refused = await h.record('c1@cluster', { type: 'put', key: '/k', value: 'c' }, async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.2:2379');
    });
    expect(ok).toMatchObject({ id: 0, outcome: 'ok', output: { revision: 2 } });
    expect(ok.ret).toBeGreaterThanOrEqual(ok.call);
    expect(lost).toMatchObject({ outcome: 'unknown', error: '4 DEADLINE_EXCEEDED: Deadline exceeded' });
    expect(refused.outcome).toBe('fail');
    const ops = h.toCheckerOps();
    // The refused put is dropped; the lost one returns at infinity with no answer.
    expect(ops.map((op) => op.id)).toEqual([0, 1]);
    expect(ops[1]).toMatchObject({ ret: Infinity, output: undefined });
  });

  it('projects a lease revoke onto the keys put with that lease; drops grants', async () => {
    const h = new KvHistory();
    await h.record('c0', { type: 'grant-lease', ttlSec: 600 }, async () => ({ lease: '7', revision: 1 }));
    await h.record('c0', { type: 'put', key: '/a', value: '1', lease: '7' }, async () => ({ revision: 2 }));
    await h.record('c0', { type: 'put', key: '/b', value: '2' }, async () => ({ revision: 3 }));
    await h.record('c0', { type: 'revoke-lease', lease: '7' }, async () => ({ revision: 4 }));
    await h.record('c0', { type: 'get', key: '/a' }, async () => ({ exists: false, revision: 4 }));
    const ops = h.toCheckerOps();
    expect(ops.filter((op) => op.input.type === 'revoke').map((op) => op.input.key)).toEqual(['/a']);
    expect(verdictFor(h).status).toBe('pass');
  });

  it('a stale read fails the check, with the piece rendered in the message and details', async () => {
    const h = new KvHistory();
    await h.record('c0', { type: 'put', key: '/a', value: '1' }, async () => ({ revision: 2 }));
    await h.record('c1', { type: 'get', key: '/a' }, async () => ({ exists: false, revision: 1 }));
    const v = verdictFor(h);
    expect(v.status).toBe('fail');
    expect(v.message).toContain('not linearizable on key /a');
    expect(v.details).toMatchObject({ key: '/a', timeline: { clients: ['c1'], initial: ['"1" mod=2, revision ≥ 2'] } });
  });

  it('nothing succeeded: unknown, not pass', async () => {
    const h = new KvHistory();
    await h.record('c0', { type: 'put', key: '/a', value: '1' }, async () => {
      throw new Error('deadline exceeded');
    });
    expect(verdictFor(h).status).toBe('unknown');
  });
});

describe('serializable reads and per-member revisions', () => {
  it('a stale serializable read passes; a phantom value or a member going back fails', async () => {
    const h = new KvHistory();
    await h.record('c0@etcd-1', { type: 'put', key: '/a', value: '1' }, async () => ({ revision: 2 }));
    await h.record('c0@etcd-1', { type: 'put', key: '/a', value: '2' }, async () => ({ revision: 3 }));
    await h.record('c1@etcd-2', { type: 'get', key: '/a', serializable: true }, async () => ({
      exists: true,
      value: '1',
      modRevision: 2,
      revision: 2,
    }));
    expect(verdictFor(h).status).toBe('pass');

    const phantom = new KvHistory(h.t0);
    phantom.records.push(...h.records);
    await phantom.record('c1@etcd-2', { type: 'get', key: '/a', serializable: true }, async () => ({
      exists: true,
      value: 'x',
      modRevision: 4,
      revision: 4,
    }));
    expect(verdictFor(phantom)).toMatchObject({ status: 'fail', message: expect.stringContaining('no write of that value') });

    const back = new KvHistory(h.t0);
    back.records.push(...h.records);
    await back.record('c0@etcd-1', { type: 'get', key: '/a', serializable: true }, async () => ({
      exists: true,
      value: '1',
      modRevision: 2,
      revision: 2,
    }));
    expect(verdictFor(back)).toMatchObject({ status: 'fail', message: expect.stringContaining("the member's store went back") });
  });
});
