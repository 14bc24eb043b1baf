import { describe, expect, it } from 'vitest';
import { judgeLeaseAfterJump, judgeWarnings } from '../../scenarios/clock-skew.js';
import { clockWarnings, CERT_TIME_ERROR } from '../../src/clock/clock-warnings.js';
import { parseLog } from '../../src/cluster/log-line.js';

// Verbatim lines (ground-truth.md, clock skew measured), with Docker's timestamps in front.
const V34 =
  '2026-11-21T11:40:01.100000000Z 2026-11-21 13:40:01.099 W | rafthttp: the clock difference against peer 408bc8c19b2164bb is too high [1.999546714s > 1s]';
const V35 =
  '2026-11-21T11:40:02.200000000Z {"level":"warn","ts":"2026-11-21T11:40:04.2Z","caller":"rafthttp/probing_status.go:82","msg":"prober found high clock drift","round-tripper-name":"ROUND_TRIPPER_RAFT_MESSAGE","remote-peer-id":"4785358a93d84959","clock-drift":"1.999780884s","rtt":"936.667µs"}';
const OTHER = '2026-11-21T11:40:03.000000000Z {"level":"info","msg":"published local member to cluster through raft"}';

describe('clockWarnings', () => {
  it('reads the 3.4 and 3.5 wordings, with the peer and the drift', () => {
    expect(clockWarnings(parseLog([V34, V35, OTHER].join('\n')))).toEqual([
      { at: Date.parse('2026-11-21T11:40:01.1Z'), peer: '408bc8c19b2164bb', drift: '1.999546714s' },
      { at: Date.parse('2026-11-21T11:40:02.2Z'), peer: '4785358a93d84959', drift: '1.999780884s' },
    ]);
  });
  it("goes by Docker's timestamp (the host's clock), not the member's skewed one", () => {
    expect(clockWarnings(parseLog(V34), Date.parse('2026-11-21T11:40:01.2Z'))).toEqual([]);
    expect(clockWarnings(parseLog(V35), Date.parse('2026-11-21T11:40:02Z'))).toHaveLength(1);
  });
  it('knows the certificate-time errors of both sides', () => {
    expect(CERT_TIME_ERROR.test('x509: certificate has expired or is not yet valid: current time 2026-11-21T09:00:43Z is before')).toBe(
      true,
    );
    expect(CERT_TIME_ERROR.test('remote error: tls: bad certificate')).toBe(true);
    expect(CERT_TIME_ERROR.test('remote error: tls: expired certificate')).toBe(true);
    expect(CERT_TIME_ERROR.test('connection refused')).toBe(false);
  });
});

describe('judgeWarnings', () => {
  const w = (peer: string) => ({ at: 1, peer, drift: '2s' });
  const ids = { 'etcd-1': 'a', 'etcd-2': 'b', 'etcd-3': 'c' };
  it('passes when only the member ahead warned, about every peer', () => {
    const seen = { byMember: { 'etcd-1': [w('b'), w('c')], 'etcd-2': [], 'etcd-3': [] }, ids, waitedMs: 9000, firstMs: 4000 };
    expect(judgeWarnings(seen, ['etcd-1']).status).toBe('pass');
  });
  it('fails when it warned about one peer only, or not at all (a skew under 1 s)', () => {
    expect(judgeWarnings({ byMember: { 'etcd-1': [w('b')], 'etcd-2': [], 'etcd-3': [] }, ids, waitedMs: 35000 }, ['etcd-1']).status).toBe(
      'fail',
    );
    expect(judgeWarnings({ byMember: { 'etcd-1': [], 'etcd-2': [], 'etcd-3': [] }, ids, waitedMs: 35000 }, ['etcd-1']).status).toBe('fail');
  });
  it('fails when a member that is not ahead warned', () => {
    const seen = { byMember: { 'etcd-1': [w('b'), w('c')], 'etcd-2': [w('a')], 'etcd-3': [] }, ids, waitedMs: 9000 };
    expect(judgeWarnings(seen, ['etcd-1']).message).toMatch(/not ahead warned too: etcd-2/);
  });
});

describe('judgeLeaseAfterJump', () => {
  const t = (ms: number | undefined) => ({ grantedOn: 'etcd-1', ttlS: 10, expiredAfterMs: ms });
  it('never early, on any version', () => {
    for (const v of ['3.4', '3.5', 'custom']) expect(judgeLeaseAfterJump(t(8_100), v).status).toBe('fail');
    expect(judgeLeaseAfterJump(t(undefined), '3.5').status).toBe('fail');
  });
  it('3.5 on time; 3.4 and other images only not early, the delay said', () => {
    expect(judgeLeaseAfterJump(t(10_400), '3.5').status).toBe('pass');
    expect(judgeLeaseAfterJump(t(15_400), '3.5').status).toBe('fail');
    expect(judgeLeaseAfterJump(t(15_400), '3.4').message).toMatch(/15\.4 s: never early, late/);
    expect(judgeLeaseAfterJump(t(10_200), '3.4').message).toMatch(/never early, on time/);
    expect(judgeLeaseAfterJump(t(15_400), 'custom').status).toBe('pass');
  });
  it('a leader change renews the lease: late after one is not judged, early still fails', () => {
    const changed = (ms: number) => ({ ...t(ms), termAtGrant: 2, termAtExpiry: 3 });
    expect(judgeLeaseAfterJump(changed(19_000), '3.5').status).toBe('pass');
    expect(judgeLeaseAfterJump(changed(19_000), '3.5').message).toMatch(/term 2 → 3/);
    expect(judgeLeaseAfterJump(changed(8_000), '3.5').status).toBe('fail');
    expect(judgeLeaseAfterJump({ ...t(19_000), termAtGrant: 2, termAtExpiry: 2 }, '3.5').status).toBe('fail');
  });
});
