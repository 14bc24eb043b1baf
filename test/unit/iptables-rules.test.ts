import { describe, expect, it } from 'vitest';
import { chainName, firedrillChains, healArgv, injectArgv, isAlreadyGone } from '../../src/faults/iptables-rules.js';

const C = 'FIREDRILL-ab12cd34';
const W = ['-w', '5'];

describe('iptables rules for network faults', () => {
  it('names one chain per injection, within iptables limits', () => {
    expect(chainName('ab12cd34')).toBe(C);
    expect(() => chainName('')).toThrow(/bad chain id/);
    expect(() => chainName('a b')).toThrow(/bad chain id/);
    expect(() => chainName('x'.repeat(19))).toThrow(/bad chain id/);
    expect(chainName('x'.repeat(18))).toHaveLength(28);
  });

  it('isolates both ways: drop from and to each peer, jumps inserted last', () => {
    expect(injectArgv(C, { peers: ['10.213.5.12', '10.213.5.13'], direction: 'both' })).toEqual([
      [...W, '-N', C],
      [...W, '-A', C, '-s', '10.213.5.12', '-j', 'DROP'],
      [...W, '-A', C, '-d', '10.213.5.12', '-j', 'DROP'],
      [...W, '-A', C, '-s', '10.213.5.13', '-j', 'DROP'],
      [...W, '-A', C, '-d', '10.213.5.13', '-j', 'DROP'],
      [...W, '-I', 'INPUT', '1', '-j', C],
      [...W, '-I', 'OUTPUT', '1', '-j', C],
    ]);
  });

  it('one-way: only inbound (-s) or only outbound (-d)', () => {
    const inbound = injectArgv(C, { peers: ['10.213.5.12'], direction: 'inbound' });
    expect(inbound[1]).toEqual([...W, '-A', C, '-s', '10.213.5.12', '-j', 'DROP']);
    expect(inbound).toHaveLength(4);
    const outbound = injectArgv(C, { peers: ['10.213.5.12'], direction: 'outbound' });
    expect(outbound[1]).toEqual([...W, '-A', C, '-d', '10.213.5.12', '-j', 'DROP']);
    expect(outbound).toHaveLength(4);
  });

  it('random loss uses the statistic match; probability 1 is a plain drop', () => {
    expect(injectArgv(C, { peers: ['10.213.5.12'], direction: 'both', probability: 0.3 })[1]).toEqual([
      ...W,
      '-A',
      C,
      '-s',
      '10.213.5.12',
      '-m',
      'statistic',
      '--mode',
      'random',
      '--probability',
      '0.3',
      '-j',
      'DROP',
    ]);
    expect(injectArgv(C, { peers: ['10.213.5.12'], direction: 'both', probability: 1 })[1]).toEqual([
      ...W,
      '-A',
      C,
      '-s',
      '10.213.5.12',
      '-j',
      'DROP',
    ]);
  });

  it('rejects what would drop nothing or something else', () => {
    expect(() => injectArgv(C, { peers: [], direction: 'both' })).toThrow(/at least one peer/);
    expect(() => injectArgv(C, { peers: ['10.213.5.300'], direction: 'both' })).toThrow(/not an IPv4/);
    expect(() => injectArgv(C, { peers: ['0.0.0.0/0'], direction: 'both' })).toThrow(/not an IPv4/);
    expect(() => injectArgv(C, { peers: ['10.213.5.12'], direction: 'both', probability: 0 })).toThrow(/probability/);
    expect(() => injectArgv(C, { peers: ['10.213.5.12'], direction: 'both', probability: 1.5 })).toThrow(/probability/);
  });

  it('heal removes the jumps, then flushes and deletes the chain', () => {
    expect(healArgv(C)).toEqual([
      [...W, '-D', 'INPUT', '-j', C],
      [...W, '-D', 'OUTPUT', '-j', C],
      [...W, '-F', C],
      [...W, '-X', C],
    ]);
  });

  it("knows iptables' answers for rules that are already gone", () => {
    expect(isAlreadyGone('iptables: No chain/target/match by that name.')).toBe(true);
    expect(isAlreadyGone('iptables: Bad rule (does a matching rule exist in that chain?).')).toBe(true);
    expect(isAlreadyGone("iptables v1.8.9 (nf_tables): Chain 'FIREDRILL-1baff87e' does not exist")).toBe(true);
    expect(isAlreadyGone('iptables v1.8.9 (nf_tables): Permission denied (you must be root)')).toBe(false);
  });

  it('finds FIREDRILL chains and jumps in iptables -S output', () => {
    const s = ['-P INPUT ACCEPT', `-N ${C}`, `-A INPUT -j ${C}`, `-A ${C} -s 10.213.5.12/32 -j DROP`, '-A OUTPUT -j FIREDRILL-x'].join(
      '\n',
    );
    expect(firedrillChains(s)).toEqual([C, 'FIREDRILL-x']);
    expect(firedrillChains('-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n')).toEqual([]);
  });
});
