import { describe, expect, it } from 'vitest';
import { sameJson } from '../../src/checks/health-answers.js';
import { parseV2Index } from '../../src/checks/v2-index-agree.js';
import { chooseDb, parseDbInspection, type DbFile } from '../../src/runbook/db-file-steps.js';
import { initialClusterFromMemberAdd, memberIdFromMemberAdd } from '../../src/runbook/member-add-output.js';

const db = (member: string, size: number, revision: number): DbFile => ({ member, size, revision, totalKeys: revision });

describe('chooseDb', () => {
  it('takes the newest revision, and says when the sizes tie (3.5: every file 16 MiB)', () => {
    const r = chooseDb([db('etcd-1', 16801792, 51), db('etcd-2', 16801792, 169), db('etcd-3', 16801792, 155)]);
    expect(r.chosen.member).toBe('etcd-2');
    expect(r.tie).toBe(true);
  });
  it('shows where the largest file is not the newest', () => {
    const r = chooseDb([db('etcd-1', 45056, 158), db('etcd-2', 40960, 163)]);
    expect(r.largest.member).toBe('etcd-1');
    expect(r.chosen.member).toBe('etcd-2');
    expect(r.tie).toBe(false);
  });
  it('breaks a revision tie by size', () => {
    expect(chooseDb([db('etcd-1', 20480, 101), db('etcd-2', 36864, 101)]).chosen.member).toBe('etcd-2');
  });
  it('refuses an empty list', () => {
    expect(() => chooseDb([])).toThrow(/no db files/);
  });
});

describe('parseDbInspection', () => {
  it('reads the size from stat and the revision from snapshot status -w json', () => {
    const out = '36864\n{"hash":680041036,"revision":101,"totalKey":106,"totalSize":36864}\n';
    expect(parseDbInspection('etcd-2', out)).toEqual({ member: 'etcd-2', size: 36864, revision: 101, totalKeys: 106 });
  });
  it('is undefined when either part is missing', () => {
    expect(parseDbInspection('etcd-1', '36864\n')).toBeUndefined();
    expect(parseDbInspection('etcd-1', '{"revision":3}')).toBeUndefined();
  });
});

describe('parseV2Index', () => {
  it('prefers the X-Etcd-Index header', () => {
    expect(parseV2Index(404, '12', '{"errorCode":100,"message":"Key not found","cause":"/some_key_not_exists","index":12}')).toBe(12);
  });
  it("falls back to the body's index", () => {
    expect(parseV2Index(404, null, '{"errorCode":100,"index":32}')).toBe(32);
  });
  it('names the fix when the v2 API is off', () => {
    expect(() => parseV2Index(404, null, '404 page not found')).toThrow(/--enable-v2/);
  });
  it('says what came back when there is no index', () => {
    expect(() => parseV2Index(500, null, 'oops')).toThrow(/HTTP 500 without X-Etcd-Index: oops/);
  });
});

describe('sameJson', () => {
  it('ignores whitespace and key order, not values or extra keys', () => {
    expect(sameJson('{ "reason":"RAFT NO LEADER", "health":"false" }', { health: 'false', reason: 'RAFT NO LEADER' })).toBe(true);
    expect(sameJson('{"health":"false","reason":""}', { health: 'false' })).toBe(false);
    expect(sameJson('{"health":"true"}', { health: 'false' })).toBe(false);
    expect(sameJson('not json', { health: 'false' })).toBe(false);
  });
});

describe('initialClusterFromMemberAdd', () => {
  it('reads the ETCD_INITIAL_CLUSTER line member add prints', () => {
    const out = [
      'Member 8e9e05c52164694d added to cluster cdf818194e3a8c32',
      '',
      'ETCD_NAME="etcd-2"',
      'ETCD_INITIAL_CLUSTER="etcd-1=http://10.213.5.11:2380,etcd-2=http://10.213.5.12:2380"',
      'ETCD_INITIAL_ADVERTISE_PEER_URLS="http://10.213.5.12:2380"',
      'ETCD_INITIAL_CLUSTER_STATE="existing"',
    ].join('\n');
    expect(initialClusterFromMemberAdd(out)).toBe('etcd-1=http://10.213.5.11:2380,etcd-2=http://10.213.5.12:2380');
    expect(initialClusterFromMemberAdd('Error: etcdserver: unhealthy cluster')).toBeUndefined();
  });
});

describe('memberIdFromMemberAdd', () => {
  it('reads the ID, also when etcdctl pads a short one with spaces (%16x)', () => {
    expect(memberIdFromMemberAdd('Member 8e9e05c52164694d added to cluster cdf818194e3a8c32')).toBe('8e9e05c52164694d');
    // Seen in CI: an ID below 2^60 is space-padded; member list prints it as b91a945513e4a1.
    expect(memberIdFromMemberAdd('Member   b91a945513e4a1 added to cluster 243820e0b97ec590')).toBe('b91a945513e4a1');
    expect(memberIdFromMemberAdd('Error: etcdserver: unhealthy cluster')).toBeUndefined();
  });
});
