import { describe, expect, it } from 'vitest';
import { healDisruption } from '../../src/checks/heal-disruption.js';
import type { RunContext } from '../../src/run/run-context.js';
import { termKey } from '../../src/runbook/network-steps.js';

/** Just what the check reads: the noted terms and the cluster's spec. */
function ctx(version: string, before: number, after: number, flags: Record<string, unknown> = {}): RunContext {
  const vars = new Map<string, unknown>([
    [termKey('before heal'), { leader: 'etcd-1', term: before }],
    [termKey('after heal'), { leader: 'etcd-2', term: after }],
  ]);
  return { vars, cluster: { spec: { version, flags, image: 'x' } } } as unknown as RunContext;
}

describe('healDisruption', () => {
  const check = healDisruption();
  it('3.4 (no pre-vote): a new election at heal passes, none fails', async () => {
    expect((await check.run(ctx('3.4', 3, 6))).status).toBe('pass');
    expect((await check.run(ctx('3.4', 3, 3))).status).toBe('fail');
  });
  it('3.5 (pre-vote): no election at heal passes, one fails', async () => {
    expect((await check.run(ctx('3.5', 3, 3))).status).toBe('pass');
    expect((await check.run(ctx('3.5', 3, 4))).status).toBe('fail');
  });
  it('an explicit --pre-vote flag wins over the version default; a custom image is unknown', async () => {
    expect((await check.run(ctx('3.4', 3, 3, { 'pre-vote': true }))).status).toBe('pass');
    expect((await check.run(ctx('3.5', 3, 5, { 'pre-vote': 'false' }))).status).toBe('pass');
    expect((await check.run(ctx('custom', 3, 3))).status).toBe('unknown');
  });
  it('is unknown when a term was not noted (the procedure skipped the heal)', async () => {
    const c = ctx('3.5', 3, 3);
    c.vars.delete(termKey('after heal'));
    expect((await check.run(c)).status).toBe('unknown');
  });
});
