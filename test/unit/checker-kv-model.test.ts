import { describe, expect, it } from 'vitest';
import { checkKvHistory, type KvOperation } from '../../src/checker/check-kv-history.js';
import type { KvInput, KvOutput } from '../../src/checker/kv-types.js';
import { withLeaseRevokes } from '../../src/checker/lease-revokes.js';
import { generateKvHistory } from '../../src/checker/generate-history.js';

let nextId = 0;
/** op(client, call, ret, input, output); ret Infinity + output undefined: answer lost. */
const op = (client: string, call: number, ret: number, input: KvInput, output?: KvOutput): KvOperation => ({
  id: nextId++,
  client,
  call,
  ret,
  input,
  output,
});
const put = (value: string, revision?: number): [KvInput, KvOutput] => [{ type: 'put', key: 'k', value }, { revision }];
const get = (value: string | null, extra: KvOutput = {}): [KvInput, KvOutput] => [
  { type: 'get', key: 'k' },
  value === null ? { exists: false, ...extra } : { exists: true, value, ...extra },
];
const status = (ops: KvOperation[]): string => checkKvHistory(ops, { shrinkMs: 0 }).status;

describe('kv model: values', () => {
  it('a read after a write returned sees it; a read concurrent with it may see either', () => {
    expect(status([op('a', 0, 1, ...put('1')), op('b', 2, 3, ...get('1'))])).toBe('ok');
    expect(status([op('a', 0, 1, ...put('1')), op('b', 2, 3, ...get(null))])).toBe('illegal');
    expect(status([op('a', 0, 5, ...put('1')), op('b', 1, 2, ...get(null)), op('c', 3, 4, ...get('1'))])).toBe('ok');
    // Once a read saw the new value, a later read cannot see the old one.
    expect(status([op('a', 0, 10, ...put('1')), op('b', 1, 2, ...get('1')), op('c', 3, 4, ...get(null))])).toBe('illegal');
  });

  it('delete removes the key; deleted counts must fit', () => {
    const del = (deleted: number, revision?: number): [KvInput, KvOutput] => [
      { type: 'delete', key: 'k' },
      { deleted, revision },
    ];
    expect(status([op('a', 0, 1, ...put('1')), op('a', 2, 3, ...del(1)), op('b', 4, 5, ...get(null))])).toBe('ok');
    expect(status([op('a', 0, 1, ...put('1')), op('a', 2, 3, ...del(0))])).toBe('illegal');
    expect(status([op('a', 0, 1, ...del(1))])).toBe('illegal');
  });

  it('cas on value applies only when the value matched; a failed compare is an observation', () => {
    const cas = (from: string, to: string, succeeded: boolean): [KvInput, KvOutput] => [
      { type: 'cas', key: 'k', compare: { on: 'value', value: from }, value: to },
      { succeeded },
    ];
    expect(status([op('a', 0, 1, ...put('1')), op('a', 2, 3, ...cas('1', '2', true)), op('b', 4, 5, ...get('2'))])).toBe('ok');
    expect(status([op('a', 0, 1, ...put('1')), op('a', 2, 3, ...cas('1', '2', false))])).toBe('illegal');
    // A missing key never compares equal on value (etcd: a value compare on a missing key fails).
    expect(status([op('a', 0, 1, ...cas('', 'x', true))])).toBe('illegal');
  });

  it('an answer that was lost may apply at any time after its call, or never', () => {
    expect(status([op('a', 0, Infinity, ...put('1')), op('b', 5, 6, ...get('1')), op('b', 7, 8, ...get('1'))])).toBe('ok');
    expect(status([op('a', 0, Infinity, { type: 'put', key: 'k', value: '1' }), op('b', 5, 6, ...get(null))])).toBe('ok');
    // But not before it was called.
    expect(status([op('b', 0, 1, ...get('1')), op('a', 2, Infinity, { type: 'put', key: 'k', value: '1' })])).toBe('illegal');
  });
});

describe('kv model: revisions', () => {
  it('write revisions grow in linearization order; reads see the mod revision of the last write', () => {
    expect(
      status([op('a', 0, 1, ...put('1', 2)), op('a', 2, 3, ...put('2', 3)), op('b', 4, 5, ...get('2', { modRevision: 3, revision: 3 }))]),
    ).toBe('ok');
    expect(status([op('a', 0, 1, ...put('1', 3)), op('a', 2, 3, ...put('2', 2))])).toBe('illegal');
    expect(status([op('a', 0, 1, ...put('1', 2)), op('b', 2, 3, ...get('1', { modRevision: 5 }))])).toBe('illegal');
    // Concurrent puts: the revisions decide the order, and so the value a later read must see.
    expect(status([op('a', 0, 5, ...put('1', 3)), op('b', 0, 5, ...put('2', 2)), op('c', 6, 7, ...get('1'))])).toBe('ok');
    expect(status([op('a', 0, 5, ...put('1', 3)), op('b', 0, 5, ...put('2', 2)), op('c', 6, 7, ...get('2'))])).toBe('illegal');
  });

  it('a read never sees the store revision go back', () => {
    expect(status([op('a', 0, 1, ...get(null, { revision: 7 })), op('b', 2, 3, ...get(null, { revision: 6 }))])).toBe('illegal');
    expect(status([op('a', 0, 1, ...get(null, { revision: 7 })), op('b', 2, 3, ...put('1', 7))])).toBe('illegal');
  });

  it('cas on mod revision (0: the key is missing); an unknown put has an unknown revision', () => {
    const casMod = (mod: number, to: string, succeeded: boolean, revision?: number): [KvInput, KvOutput] => [
      { type: 'cas', key: 'k', compare: { on: 'modRevision', modRevision: mod }, value: to },
      { succeeded, revision },
    ];
    expect(
      status([
        op('a', 0, 1, ...casMod(0, 'x', true, 2)),
        op('a', 2, 3, ...casMod(2, 'y', true, 3)),
        op('b', 4, 5, ...get('y', { modRevision: 3 })),
      ]),
    ).toBe('ok');
    expect(status([op('a', 0, 1, ...put('1', 2)), op('a', 2, 3, ...casMod(0, 'x', true, 3))])).toBe('illegal');
    // A put whose answer was lost: its revision is unknown, a later compare can learn it.
    expect(
      status([
        op('a', 0, Infinity, { type: 'put', key: 'k', value: '1' }),
        op('b', 5, 6, ...casMod(4, 'z', true, 9)),
        op('b', 7, 8, ...get('z', { modRevision: 9 })),
      ]),
    ).toBe('ok');
  });
});

describe('kv model: leases, serializable reads, budget', () => {
  it('revoking a lease deletes the keys attached to it, and only those', () => {
    const leasePut = op('a', 0, 1, { type: 'put', key: 'k', value: '1', lease: 'L1' }, { revision: 2 });
    const other = op('a', 0, 1, { type: 'put', key: 'j', value: '1' }, { revision: 3 });
    const revoke = {
      id: nextId++,
      client: 'a',
      call: 2,
      ret: 3,
      input: { type: 'revoke-lease' as const, lease: 'L1' },
      output: { revision: 4 },
    };
    const after = [op('b', 4, 5, ...get(null)), op('b', 4, 5, { type: 'get', key: 'j' }, { exists: true, value: '1' })];
    expect(status(withLeaseRevokes([leasePut, other, ...after], [revoke]))).toBe('ok');
    const stillThere = op('b', 4, 5, ...get('1'));
    expect(status(withLeaseRevokes([leasePut, stillThere], [revoke]))).toBe('illegal');
  });

  it('serializable reads are left out: a stale one is not a violation', () => {
    const stale = op('b', 2, 3, { type: 'get', key: 'k', serializable: true }, { exists: false });
    expect(status([op('a', 0, 1, ...put('1')), stale])).toBe('ok');
  });

  it('returns unknown, never ok, when the budget runs out', () => {
    const { ops } = generateKvHistory({ ops: 5000, clients: 8, keys: 1, seed: 7 });
    const r = checkKvHistory(ops, { budgetMs: 0, shrinkMs: 0 });
    expect(r.status).toBe('unknown');
    expect(checkKvHistory(ops, { budgetMs: 60_000, shrinkMs: 0 }).status).toBe('ok');
  });
});
