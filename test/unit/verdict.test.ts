import { describe, expect, it } from 'vitest';
import { worst } from '../../src/checks/verdict.js';

describe('worst', () => {
  it('fail beats unknown beats pass', () => {
    expect(worst(['pass', 'unknown', 'fail'])).toBe('fail');
    expect(worst(['pass', 'unknown'])).toBe('unknown');
    expect(worst(['pass', 'pass'])).toBe('pass');
  });
  it('nothing checked is unknown, never pass', () => {
    expect(worst([])).toBe('unknown');
  });
});
