import { describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '../../src/cluster/cluster-spec.js';
import { Member, type MemberContext } from '../../src/cluster/member.js';

// A member is pure data until it touches Docker: enough to test what it does to secrets.
const member = (spec = resolveClusterSpec({ auth: { password: 'hunter2-hunter2' } })): Member =>
  new Member(
    { runId: 'r', spec, network: { name: 'n', id: 'n', prefix: '10.213.1', subnet: '10.213.1.0/24' }, backupVolume: 'b' } as MemberContext,
    1,
    'etcd-1',
    '10.213.1.11',
    {},
  );

describe('password masking', () => {
  it('replaces the run password wherever it appears', () => {
    expect(member().mask('etcdctl --user=root:hunter2-hunter2 get /k; echo hunter2-hunter2')).toBe(
      'etcdctl --user=root:**** get /k; echo ****',
    );
  });
  it('leaves text alone when the cluster has no auth', () => {
    expect(member(resolveClusterSpec({})).mask('nothing hunter2-hunter2')).toBe('nothing hunter2-hunter2');
  });
  it('makes a random password per run when none is given', () => {
    const a = resolveClusterSpec({ auth: true }).auth!;
    const b = resolveClusterSpec({ auth: true }).auth!;
    expect(a.user).toBe('root');
    expect(a.password).toHaveLength(16);
    expect(a.password).not.toBe(b.password);
  });
});
