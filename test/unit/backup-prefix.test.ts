import { describe, expect, it } from 'vitest';
import { judgeBackupPrefix } from '../../src/checks/backup-prefix.js';

const acked = [1, 2, 3, 4, 5].map((i) => ({ key: `/k${i}`, value: `v${i}` }));
const served = (present: number[], override: Record<string, string> = {}) =>
  Object.fromEntries(acked.map((w, i) => [w.key, override[w.key] ?? (present.includes(i + 1) ? w.value : null)]));

describe('judgeBackupPrefix', () => {
  it('passes when the newest acknowledged write is missing, and names it', () => {
    const v = judgeBackupPrefix(acked, served([1, 2, 3, 4]));
    expect(v.status).toBe('pass');
    expect(v.message).toContain('lost the newest acknowledged: /k5');
  });
  it('passes, saying the loss is possible, when every write is there', () => {
    const v = judgeBackupPrefix(acked, served([1, 2, 3, 4, 5]));
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/^all 5 v2 keys this time/);
  });
  it('fails on a hole: an older write missing while a newer one is there', () => {
    const v = judgeBackupPrefix(acked, served([1, 2, 4, 5]));
    expect(v.status).toBe('fail');
    expect(v.message).toBe('not a prefix: /k3 is missing but the later /k4, /k5 are there');
  });
  it('fails on a value no acknowledged write set', () => {
    const v = judgeBackupPrefix(acked, served([1, 2, 3, 4, 5], { '/k2': 'other' }));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('/k2=other (acked v2)');
  });
});
