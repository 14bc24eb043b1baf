import { describe, expect, it } from 'vitest';
import { isNoQdisc, rateBits, tbfAddArgv, tbfDelArgv } from '../../src/faults/tc-rules.js';

describe('tc tbf rules', () => {
  it('reads tc rates', () => {
    expect(rateBits('1mbit')).toBe(1e6);
    expect(rateBits('512kbit')).toBe(512e3);
    expect(rateBits('2.5mbit')).toBe(2.5e6);
    for (const bad of ['1MB', 'fast', '0mbit', '-1kbit', '']) expect(() => rateBits(bad)).toThrow(/not a tc rate/);
  });
  it('adds a root tbf on eth0 with a burst of one MTU at least, and deletes it', () => {
    expect(tbfAddArgv('1mbit')).toEqual([
      'tc',
      'qdisc',
      'add',
      'dev',
      'eth0',
      'root',
      'tbf',
      'rate',
      '1mbit',
      'burst',
      '1600',
      'latency',
      '1000ms',
    ]);
    expect(tbfAddArgv('100mbit')[10]).toBe('125000');
    expect(tbfDelArgv()).toEqual(['tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
  });
  it("knows tc's answers when nothing is there to delete", () => {
    expect(isNoQdisc('Error: Cannot delete qdisc with handle of zero.')).toBe(true);
    expect(isNoQdisc('RTNETLINK answers: Operation not permitted')).toBe(false);
  });
});
