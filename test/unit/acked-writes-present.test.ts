import { describe, expect, it } from 'vitest';
import { allowedValues } from '../../src/checks/acked-writes-present.js';
import type { WriteOp } from '../../src/workload/history.js';

const op = (value: string, call: number, outcome: WriteOp['outcome']): WriteOp => ({
  key: '/k',
  value,
  call,
  ret: call + 1,
  outcome,
  mark: 'seed',
  api: 3,
});

describe('allowedValues', () => {
  it('is the last acknowledged value when nothing uncertain followed', () => {
    expect(allowedValues([op('a', 1, 'ok'), op('b', 2, 'ok')])).toEqual(new Set(['b']));
  });
  it('also allows a later write of unknown outcome (it may have been applied after an error)', () => {
    expect(allowedValues([op('a', 1, 'ok'), op('b', 5, 'unknown')])).toEqual(new Set(['a', 'b']));
  });
  it('never allows a definitely failed write, nor an unknown one made before the last acknowledgement', () => {
    expect(allowedValues([op('x', 0, 'unknown'), op('a', 1, 'ok'), op('f', 2, 'fail')])).toEqual(new Set(['a']));
  });
  it('has nothing to require when no write was acknowledged', () => {
    expect(allowedValues([op('a', 1, 'unknown')])).toBeUndefined();
  });
});
