import type { Member } from '../cluster/member.js';
import { quorumOf } from '../cluster/quorum.js';
import type { RetryOptions, RunContext } from '../run/run-context.js';

// etcd's peer dial timeout is 1 s: a message the leader sent while the member was down can fail
// that long after the member is back.
const LATE_DIAL_MS = 1500;
const STATUS = /peer became (in)?active|peer \S+ became (in)?active/;

/**
 * Measured (3.5, once in ~20 restarts): while a member is down the leader sends to it through the
 * pipeline; a pipeline dial that times out only after the member's streams were re-established
 * marks the peer inactive again, and nothing marks it active until a stream breaks. Strict
 * reconfiguration then refuses every `member add` / `member remove` with `unhealthy cluster` for
 * as long as that lasts (30 s and more). What un-sticks it is what an operator would do: restart
 * that member once more. Restart steps call this so the drill that follows meets the cluster it
 * meant to, and the note says when etcd did it.
 */
export async function ensureLeaderSeesActive(ctx: RunContext, m: Member, restart: () => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    await new Promise((r) => setTimeout(r, LATE_DIAL_MS));
    const leader = await ctx.leader();
    if (!leader || leader === m || !m.id) return;
    if (!markedInactive(await leader.logLines(), m.id)) return;
    ctx.note(
      `${leader.name} still marks ${m.name} inactive after it reconnected (a pipeline dial from while it was down timed out late); strict reconfiguration would refuse member add/remove: restarting ${m.name} once more`,
    );
    await restart();
    await ctx.cluster.waitReady({ timeoutMs: 30_000 });
  }
}

/** True when `judge`'s log last said peer `id` became inactive (and not active since). */
function markedInactive(lines: readonly { text: string }[], id: string): boolean {
  const last = lines.filter((l) => STATUS.test(l.text) && l.text.includes(id)).pop();
  return last !== undefined && /inactive/.test(last.text);
}

/**
 * The same stuck state seen from the member a membership command runs on (etcd's strict check
 * uses that member's view of its peers): every running peer it still marks inactive is restarted
 * once, and the step log says so. A member that joined, not only one that restarted, can be left
 * that way: the leader sent to it through the pipeline before it started. Never a member a fault
 * is holding (an isolated member is inactive on purpose, and a restart would undo the fault), and
 * never when the restart would cost quorum.
 */
export async function unstickInactivePeers(ctx: RunContext, via: Member): Promise<void> {
  const lines = await via.logLines();
  const held = new Set(ctx.tracked().flatMap((k) => ctx.ref(k)));
  const quorum = quorumOf(ctx.cluster.members.length);
  for (const p of ctx.cluster.members) {
    if (p === via || held.has(p) || (await p.state()) !== 'running') continue;
    // Read now: an ID remembered from before a remove and re-add would name the old member.
    const id = (await p.status(1000).catch(() => undefined))?.memberId;
    if (!id || !markedInactive(lines, id)) continue;
    const serving = await ctx.cluster.running(ctx.cluster.members.filter((x) => !held.has(x)));
    if (serving.filter((x) => x !== p).length < quorum) {
      ctx.note(`${via.name} still marks ${p.name} inactive, but restarting it would cost quorum: left as it is`);
      continue;
    }
    ctx.note(
      `${via.name} still marks ${p.name} inactive after it connected (a pipeline dial from before timed out late); strict reconfiguration refuses until it is active: restarting ${p.name} once`,
    );
    await p.stop();
    await p.start();
    await ctx.cluster.waitReady({ members: serving, timeoutMs: 30_000 });
  }
}

/**
 * Retrying a membership change on `unhealthy cluster`, as an operator would, bounded: strict
 * reconfiguration refuses add/remove until every voting member has been connected for 5 s
 * (ground-truth.md, cross-cutting point 3). Still refused after 10 s, it is the stuck state above.
 */
export const UNHEALTHY_RETRY: RetryOptions = {
  retryOn: /unhealthy cluster/,
  timeoutMs: 30_000,
  intervalMs: 1000,
  unstick: { afterMs: 10_000, run: unstickInactivePeers },
};
