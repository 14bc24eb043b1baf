import { memberIp } from '../cluster/network.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { parseMemberList, type MemberRow } from './member-list.js';
import { UNHEALTHY_RETRY } from './peer-status.js';

export async function one(ctx: RunContext, target: Target, remember?: string): Promise<Member> {
  const [m] = await ctx.resolve(target, remember);
  if (!m) throw new Error(`no member for ${target.description}`);
  return m;
}

/** Another member that answers /health: membership commands go through a live member. */
export async function livePeer(ctx: RunContext, not?: Member): Promise<Member> {
  for (const m of ctx.cluster.members) {
    if (m !== not && (await m.health(2000).catch(() => ({ healthy: false }))).healthy) return m;
  }
  throw new Error(`no healthy member${not ? ` other than ${not.name}` : ''} to run etcdctl on`);
}

/** `etcdctl member list` on `via`, parsed; the row of `m` is found by name or by peer URL. */
export async function listedRow(ctx: RunContext, via: Member, m: Member): Promise<{ rows: MemberRow[]; row?: MemberRow }> {
  const r = await ctx.etcdctl(via, ['member', 'list']);
  const rows = parseMemberList(r.stdout);
  if (!r.ok) throw new Error(`member list on ${via.name} failed: ${r.stderr.trim()}`);
  return { rows, row: rows.find((x) => x.name === m.name) ?? rows.find((x) => x.peerUrls.includes(m.peerUrl)) };
}

/**
 * Zeroes the first 16 KiB of the stopped target's `member/snap/db` (bbolt's meta pages): its disk is
 * damaged, so etcd panics opening its backend on every start. Done offline, as on a host whose etcd is down.
 */
export function corruptDb(target: Target, source?: string): Step {
  return {
    name: `damage the data dir of ${target.description} (zero the first 16 KiB of member/snap/db)`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const r = await ctx.oneShot(m, ['dd', 'if=/dev/zero', 'of=data/member/snap/db', 'bs=4096', 'count=4', 'conv=notrunc']);
      if (!r.ok) throw new Error(`could not damage ${m.name}'s db: ${r.stderr.trim()}`);
      ctx.note(r.stderr.trim().split('\n').pop() ?? '');
    },
  };
}

/**
 * Seed 003 §2 as written: to replace a member, `member add` the replacement first (a new host: the
 * next free IP), then remove the old one. Retried while etcd answers `unhealthy cluster`, for
 * `timeoutMs`; throws when the add is still refused, which ends the procedure there.
 */
export function addReplacementFirst(target: Target, remember: string, source?: string, timeoutMs = 10_000): Step {
  return {
    name: `etcdctl member add <replacement> --peer-urls=<new host> before removing ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const via = await livePeer(ctx, m);
      const index = Math.max(...ctx.cluster.members.map((x) => x.index)) + 1;
      const url = `${ctx.cluster.spec.tls ? 'https' : 'http'}://${memberIp(ctx.cluster.network.prefix, index)}:2380`;
      const t0 = ctx.now();
      const r = await ctx.retryEtcdctl(via, ['member', 'add', `${m.name}-new`, `--peer-urls=${url}`], { ...UNHEALTHY_RETRY, timeoutMs });
      ctx.vars.set(`${remember}-add-first`, { ok: r.ok, stderr: r.stderr.trim(), afterMs: Math.round(ctx.now() - t0) });
      if (!r.ok) throw new Error(`member add refused for ${Math.round((ctx.now() - t0) / 1000)} s: ${r.stderr.trim()}`);
      throw new Error(`member add of the replacement was accepted while ${m.name} is down: ${r.stdout.trim()} (not expected on 3.4/3.5)`);
    },
  };
}
