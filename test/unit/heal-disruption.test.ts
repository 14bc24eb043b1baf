import { describe, expect, it } from 'vitest';
import { healDisruption } from '../../src/checks/heal-disruption.js';
import type { RunContext } from '../../src/run/run-context.js';
import { termKey } from '../../src/runbook/network-steps.js';

/**
 * Just what the check reads: the noted terms, the refs and the cluster's spec. etcd-1 is the
 * cut-off member; `cut` is its term before heal, `maj` the majority's, `after` the term after heal.
 */
function ctx(version: string, cut: number, maj: number, after: number, flags: Record<string, unknown> = {}): RunContext {
  const vars = new Map<string, unknown>([
    [termKey('before heal'), { leader: 'etcd-2', term: Math.max(cut, maj), terms: { 'etcd-1': cut, 'etcd-2': maj, 'etcd-3': maj } }],
    [termKey('after heal'), { leader: 'etcd-2', term: after, terms: {} }],
  ]);
  const refs = new Map([['isolated', [{ name: 'etcd-1' }]]]);
  return { vars, ref: (n: string) => refs.get(n) ?? [], cluster: { spec: { version, flags, image: 'x' } } } as unknown as RunContext;
}

describe('healDisruption', () => {
  const check = healDisruption({ cutOff: 'isolated' });
  it('3.4 (no pre-vote): reported either way, never failed (whether the term passed is a race)', async () => {
    const deposed = await check.run(ctx('3.4', 5, 3, 6));
    expect(deposed.status).toBe('pass');
    expect(deposed.message).toMatch(/forced an election/);
    const kept = await check.run(ctx('3.4', 3, 3, 3));
    expect(kept.status).toBe('pass');
    expect(kept.message).toMatch(/no election this time/);
  });
  it('3.5 (pre-vote): never deposed', async () => {
    expect((await check.run(ctx('3.5', 2, 3, 3))).status).toBe('pass');
    expect((await check.run(ctx('3.5', 2, 3, 4))).status).toBe('fail');
  });
  it('an explicit --pre-vote flag wins over the version default; a custom image is unknown', async () => {
    expect((await check.run(ctx('3.4', 3, 3, 4, { 'pre-vote': true }))).status).toBe('fail');
    expect((await check.run(ctx('3.5', 5, 3, 6, { 'pre-vote': 'false' }))).status).toBe('pass');
    expect((await check.run(ctx('custom', 3, 3, 3))).status).toBe('unknown');
  });
  it('the majority side can be named instead of the cut-off side', async () => {
    const byMajority = healDisruption({ majority: 'isolated' }); // here: etcd-1 is the majority, the rest cut off
    expect((await byMajority.run(ctx('3.5', 3, 2, 3))).message).toMatch(/cut-off side term 2, majority term 3/);
  });
  it('is unknown when a term was not noted (the procedure skipped the heal)', async () => {
    const c = ctx('3.5', 3, 3, 3);
    c.vars.delete(termKey('after heal'));
    expect((await check.run(c)).status).toBe('unknown');
  });
});
