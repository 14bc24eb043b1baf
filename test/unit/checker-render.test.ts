import { describe, expect, it } from 'vitest';
import { checkKvHistory, type KvOperation } from '../../src/checker/check-kv-history.js';
import { describeKv } from '../../src/checker/kv-types.js';
import { renderTimelines, timelineData } from '../../src/checker/render.js';

describe('the failing piece', () => {
  // A stale read: c2 reads nil after c0's put of "1" returned; c1's later put is irrelevant to it.
  const ops: KvOperation[] = [
    { id: 0, client: 'c0', call: 0, ret: 10, input: { type: 'put', key: '/k', value: '1' }, output: { revision: 2 } },
    { id: 1, client: 'c1', call: 5, ret: Infinity, input: { type: 'put', key: '/k', value: '2' }, output: undefined },
    { id: 2, client: 'c2', call: 20, ret: 30, input: { type: 'get', key: '/k' }, output: { exists: false, revision: 2 } },
    { id: 3, client: 'c0', call: 40, ret: 50, input: { type: 'put', key: '/k', value: '3' }, output: { revision: 3 } },
    { id: 4, client: 'c3', call: 1, ret: 2, input: { type: 'get', key: '/other' }, output: { exists: false } },
  ];

  it('is found on the failing key, cut to the shortest bad window, and names the read that cannot be placed', () => {
    const r = checkKvHistory(ops);
    expect(r.status).toBe('illegal');
    expect(r.failing?.key).toBe('/k');
    const piece = r.failing!.piece;
    // The window after c0's put returned: the key holds "1" there, the pending put may apply, the read saw nothing.
    expect(piece.ops.map((op) => op.id).sort()).toEqual([1, 2]);
    expect(piece.initial).toEqual(['"1" mod=2, revision ≥ 2']);
    expect(piece.minimal).toBe(true);
    const data = timelineData('/k', piece, describeKv);
    expect(data.clients).toEqual(['c1', 'c2']);
    expect(data.ops.find((op) => op.id === 1)).toMatchObject({ ret: null, outcome: 'unknown' });
    const text = renderTimelines(data);
    expect(text).toContain('key "/k": not linearizable — 2 operations, 2 clients');
    expect(text).toContain('a window: the operations before it leave the key in: "1" mod=2, revision ≥ 2');
    expect(text).toMatch(/c2 .*\[15, 25\]\s+#2 get → nil @r2/); // times from the first call of the piece
    expect(text).toContain('cannot be placed after it: #2 get → nil @r2');
    // JSON-safe for the HTML report: no Infinity.
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});
