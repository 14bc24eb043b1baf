import { describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '../../src/cluster/cluster-spec.js';
import { PEER_PROXY_PORT, bootstrapFlags } from '../../src/cluster/etcd-flags.js';
import { NO_EFFECT, combine, renderConfig, rulesFor, validateEffect } from '../../src/faults/proxy-config.js';

const A = { ip: '10.213.5.11' };
const B = { ip: '10.213.5.12' };
const C = { ip: '10.213.5.13' };
const d100 = { ...NO_EFFECT, delayMs: 100, jitterMs: 10 };

describe('peer proxy rules and config', () => {
  it('slows every link of a member: its own proxy for all peers, the others for connections it dials', () => {
    const rules = rulesFor([B], [A, B, C], d100);
    expect(rules.get(B.ip)).toEqual([{ peer: '*', ...d100 }]);
    expect(rules.get(A.ip)).toEqual([{ peer: B.ip, ...d100 }]);
    expect(rules.get(C.ip)).toEqual([{ peer: B.ip, ...d100 }]);
  });

  it('two slowed members: each proxy of the rest names both', () => {
    const rules = rulesFor([B, C], [A, B, C], d100);
    expect(rules.get(A.ip)?.map((r) => r.peer)).toEqual([B.ip, C.ip]);
    expect(rules.get(C.ip)?.map((r) => r.peer)).toEqual(['*']);
  });

  it('renders one line per peer: ip delay jitter refuse blackhole, * last; exact IPs include * effects', () => {
    expect(renderConfig([])).toBe('');
    expect(renderConfig([{ peer: '*', ...d100 }])).toBe('* 100 10 0 0\n');
    expect(
      renderConfig([
        { peer: '*', ...NO_EFFECT, delayMs: 50 },
        { peer: B.ip, ...NO_EFFECT, blackhole: true },
        { peer: A.ip, ...NO_EFFECT, refuse: 0.25 },
      ]),
    ).toBe(`${A.ip} 50 0 0.25 0\n${B.ip} 50 0 0 1\n* 50 0 0 0\n`);
  });

  it('stacks injections: delays add up, refusals combine as independent chances, blackhole wins', () => {
    expect(combine([d100, d100])).toEqual({ delayMs: 200, jitterMs: 20, refuse: 0, blackhole: false });
    expect(
      combine([
        { ...NO_EFFECT, refuse: 0.5 },
        { ...NO_EFFECT, refuse: 0.5, blackhole: true },
      ]),
    ).toEqual({
      ...NO_EFFECT,
      refuse: 0.75,
      blackhole: true,
    });
    expect(combine([])).toEqual(NO_EFFECT);
  });

  it('rejects impossible effects, naming the value', () => {
    expect(() => validateEffect({ ...NO_EFFECT, delayMs: -1 })).toThrow(/delay -1 ms/);
    expect(() => validateEffect({ ...NO_EFFECT, delayMs: 1.5 })).toThrow(/delay 1.5 ms/);
    expect(() => validateEffect({ ...NO_EFFECT, jitterMs: 700_000 })).toThrow(/jitter/);
    expect(() => validateEffect({ ...NO_EFFECT, refuse: 2 })).toThrow(/refuse probability 2/);
    expect(() => rulesFor([A], [{ ip: 'etcd-1' }], d100)).toThrow(/not an IPv4/);
  });
});

describe('peerProxy cluster flags', () => {
  it('members listen on 2380 (the proxy dials it) and advertise the proxy port to their peers', () => {
    const spec = resolveClusterSpec({ members: 2, peerProxy: true });
    expect(spec.peerProxy).toBe(true);
    expect(resolveClusterSpec({}).peerProxy).toBe(false);
    const all = [
      { name: 'etcd-1', ip: '10.213.5.11', peerPort: PEER_PROXY_PORT },
      { name: 'etcd-2', ip: '10.213.5.12', peerPort: PEER_PROXY_PORT },
    ];
    const f = bootstrapFlags(spec, all[0]!, all, 't');
    expect(f['listen-peer-urls']).toBe('http://0.0.0.0:2380');
    expect(f['initial-advertise-peer-urls']).toBe('http://10.213.5.11:2381');
    expect(f['initial-cluster']).toBe('etcd-1=http://10.213.5.11:2381,etcd-2=http://10.213.5.12:2381');
  });
});
