import { describe, expect, it } from 'vitest';
import { compareFailures } from '../../src/explore/replay.js';

describe('compareFailures', () => {
  const found = ['every member healthy', 'no alarms', "every member's db is at most 50% of the quota"];
  it('same checks, same order: reproduced', () => expect(compareFailures(found, [...found])).toBe('same'));
  it('all of them and more: reproduced', () => expect(compareFailures(found, [...found, 'history linearizable'])).toBe('same'));
  it('some of them (the rest was a matter of timing): in part', () =>
    expect(compareFailures(found, ["every member's db is at most 50% of the quota"])).toBe('part'));
  it('only other checks: fails differently', () => expect(compareFailures(found, ['history linearizable'])).toBe('other'));
  it('nothing failed: not reproduced', () => expect(compareFailures(found, [])).toBe('none'));
});
