import { describe, it, expect } from 'vitest';
import { decToHex, parseGatewayStatus } from '../../src/cluster/member-status.js';

describe('decToHex', () => {
  it('converts IDs beyond 2^53 exactly', () => {
    const dec = '9351422487675314246';
    expect(decToHex(dec)).toBe(BigInt(dec).toString(16));
    // The Number route would have lost the low bits.
    expect(decToHex(dec)).not.toBe(Number(dec).toString(16));
  });

  it('converts the largest uint64', () => {
    expect(decToHex('18446744073709551615')).toBe('ffffffffffffffff');
  });

  it('converts small values without padding', () => {
    expect(decToHex('1')).toBe('1');
    expect(decToHex('255')).toBe('ff');
  });

  it('maps 0, empty and undefined to undefined', () => {
    expect(decToHex('0')).toBeUndefined();
    expect(decToHex('')).toBeUndefined();
    expect(decToHex(undefined)).toBeUndefined();
  });
});

describe('parseGatewayStatus', () => {
  const memberDec = '9351422487675314246';
  const leaderDec = '5154371186826357083';
  const clusterDec = '17237436991929493444';

  it('parses a healthy member status (string fields from the gateway)', () => {
    const s = parseGatewayStatus({
      header: { cluster_id: clusterDec, member_id: memberDec, revision: '42', raft_term: '3' },
      version: '3.5.16',
      dbSize: '20480',
      leader: leaderDec,
      raftIndex: '57',
      raftTerm: '3',
      dbSizeInUse: '16384',
    });
    expect(s).toEqual({
      memberId: BigInt(memberDec).toString(16),
      leaderId: BigInt(leaderDec).toString(16),
      clusterId: BigInt(clusterDec).toString(16),
      raftTerm: 3,
      raftIndex: 57,
      revision: 42,
      dbSize: 20480,
      dbSizeInUse: 16384,
      version: '3.5.16',
      errors: [],
    });
  });

  it('parses a member with no leader: leaderId undefined, errors kept', () => {
    const s = parseGatewayStatus({
      header: { cluster_id: clusterDec, member_id: memberDec, revision: '7', raft_term: '9' },
      version: '3.4.23',
      dbSize: '24576',
      raftIndex: '120',
      raftTerm: '9',
      errors: ['etcdserver: no leader'],
    });
    expect(s.leaderId).toBeUndefined();
    expect(s.errors).toEqual(['etcdserver: no leader']);
    expect(s.memberId).toBe(BigInt(memberDec).toString(16));
    expect(s.raftTerm).toBe(9);
    expect(s.raftIndex).toBe(120);
    expect(s.revision).toBe(7);
    expect(s.dbSize).toBe(24576);
    expect(s.dbSizeInUse).toBeUndefined();
    expect(s.version).toBe('3.4.23');
  });

  it('treats leader "0" as no leader', () => {
    expect(parseGatewayStatus({ leader: '0' }).leaderId).toBeUndefined();
  });

  it('reports the member that is the leader', () => {
    const s = parseGatewayStatus({ header: { member_id: memberDec }, leader: memberDec });
    expect(s.leaderId).toBe(s.memberId);
  });

  it('falls back to header.raft_term when raftTerm is absent', () => {
    expect(parseGatewayStatus({ header: { raft_term: '11' } }).raftTerm).toBe(11);
    expect(parseGatewayStatus({ header: { raft_term: '11' }, raftTerm: '12' }).raftTerm).toBe(12);
  });

  it('fills defaults for an empty answer', () => {
    expect(parseGatewayStatus({})).toEqual({
      memberId: '0',
      leaderId: undefined,
      clusterId: '0',
      raftTerm: 0,
      raftIndex: 0,
      revision: 0,
      dbSize: 0,
      dbSizeInUse: undefined,
      version: '',
      errors: [],
    });
  });

  it('parses the gateway body as it arrives over HTTP', () => {
    const body = `{"header":{"cluster_id":"${clusterDec}","member_id":"${memberDec}","revision":"1","raft_term":"2"},"version":"3.5.16","dbSize":"20480","raftIndex":"8","raftTerm":"2","raftAppliedIndex":"8","errors":["etcdserver: no leader"],"dbSizeInUse":"16384"}`;
    const s = parseGatewayStatus(JSON.parse(body) as Parameters<typeof parseGatewayStatus>[0]);
    expect(s.clusterId).toBe(BigInt(clusterDec).toString(16));
    expect(s.leaderId).toBeUndefined();
    expect(s.errors).toEqual(['etcdserver: no leader']);
    expect(s.dbSizeInUse).toBe(16384);
  });
});
