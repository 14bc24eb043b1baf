import { describe, it, expect } from 'vitest';
import { newRunId } from '../../src/cluster/run-id.js';

const FORMAT = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

describe('newRunId', () => {
  it('formats a fixed date as yyyymmdd-hhmmss-xxxx (UTC)', () => {
    const id = newRunId(new Date('2026-11-21T11:54:32.123Z'));
    expect(id).toMatch(FORMAT);
    expect(id.startsWith('20261121-115432-')).toBe(true);
  });

  it('pads single-digit months, days and times', () => {
    expect(newRunId(new Date('2027-01-02T03:04:05.000Z')).startsWith('20270102-030405-')).toBe(true);
  });

  it('defaults to now', () => {
    const before = newRunId(new Date()).slice(0, 8);
    const id = newRunId();
    expect(id).toMatch(FORMAT);
    expect(id.slice(0, 8) >= before).toBe(true);
  });

  it('varies the random suffix for the same instant', () => {
    const at = new Date('2026-11-21T11:54:32.000Z');
    const ids = new Set(Array.from({ length: 50 }, () => newRunId(at)));
    // 50 draws from 65536 values: a collision-free run is near certain; all-equal would be a bug.
    expect(ids.size).toBeGreaterThan(40);
  });

  it('sorts by time', () => {
    const a = newRunId(new Date('2026-11-21T11:54:32Z'));
    const b = newRunId(new Date('2026-11-21T11:54:33Z'));
    const c = newRunId(new Date('2026-12-01T00:00:00Z'));
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });
});
