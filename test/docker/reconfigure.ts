import { expect } from 'vitest';
import type { Member } from '../../src/cluster/member.js';

/**
 * etcdctl through `via`, retried while strict reconfiguration says `unhealthy cluster` (bounded,
 * 15 s): etcd refuses member add/remove until every member has been connected for a while, e.g.
 * right after a restart. Any other error fails the test at once.
 */
export async function reconfigure(via: Member, args: string[]): Promise<string> {
  for (let i = 0; i < 15; i++) {
    const r = await via.etcdctl(args);
    if (r.ok) return r.stdout;
    expect(r.stderr).toMatch(/unhealthy cluster/);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`etcdctl ${args.join(' ')} still refused after 15 s`);
}
