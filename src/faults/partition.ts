import { randomBytes } from 'node:crypto';
import type { CommandResult } from '../cluster/command-result.js';
import type { Member } from '../cluster/member.js';
import type { Target } from '../targets/target.js';
import { injection, type Fault, type FaultContext, type Injection } from './fault.js';
import { chainName, healArgv, injectArgv, isAlreadyGone, type Direction } from './iptables-rules.js';
import { inNetns, memberPid, netnsAvailable } from './netns.js';

// What "isolated" means here: every packet between the member and its peers (the other members'
// IPs) is dropped, whatever the port: raft traffic (2380, or the peer proxy's port) and client
// traffic between members (2379: an etcdctl on one member talking to another). Packets from and to
// the harness host (the bridge gateway) are not matched, so the harness still observes the member
// through its client port, as a monitoring system in the same rack would: it sees the member step
// down and refuse linearizable requests. etcd's robustness tests cut peer traffic the same way.

interface BlockOptions {
  /** The members to cut the target off from; default every member outside the target. */
  peers?: Target;
  direction: Direction;
  probability?: number;
  /** Fault name and a verb for the description. */
  name: string;
  verb: string;
}

/** What a run context offers beyond a target context: the step log (duck-typed, FaultContext is narrower). */
function recorder(ctx: FaultContext): (r: CommandResult) => void {
  const rec = (ctx as { record?: (r: CommandResult) => unknown }).record;
  return rec ? (r) => void rec.call(ctx, r) : () => {};
}

/** Runs argv lists in one member's namespace in order; the first failure stops it and is returned. */
async function apply(
  member: Member,
  pid: number,
  argvs: string[][],
  record: (r: CommandResult) => void,
): Promise<CommandResult | undefined> {
  for (const argv of argvs) {
    const r = await inNetns(pid, member.name, ['iptables', ...argv]);
    record(r);
    if (!r.ok) return r;
  }
  return undefined;
}

/**
 * Removes the injection's chain from each member's namespace. A member that is not running has no
 * namespace left (a stopped container loses it, and Member.start makes a fresh one): nothing to
 * undo. Missing rules or chains (healed already) are fine; anything else is reported after trying all.
 */
async function removeChain(members: readonly Member[], chain: string, record: (r: CommandResult) => void): Promise<void> {
  const errors: string[] = [];
  for (const m of members) {
    const pid = await memberPid(m);
    if (!pid) continue;
    for (const argv of healArgv(chain)) {
      const r = await inNetns(pid, m.name, ['iptables', ...argv]);
      record(r);
      if (!r.ok && !isAlreadyGone(r.stderr)) errors.push(`${m.name}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    }
  }
  if (errors.length) throw new Error(`could not remove ${chain}: ${errors.join('; ')}`);
}

function block(target: Target, opts: BlockOptions): Fault {
  return {
    name: opts.name,
    available: () => netnsAvailable(),
    async inject(ctx): Promise<Injection> {
      const members = await target.resolve(ctx);
      const peers = opts.peers ? await opts.peers.resolve(ctx) : ctx.cluster.members.filter((m) => !members.includes(m));
      const chain = chainName(randomBytes(4).toString('hex'));
      const record = recorder(ctx);
      const heal = (): Promise<void> => removeChain(members, chain, record);
      // Every member's rules are built (and validated) before any is applied: bad input changes nothing.
      const plans = members.map((m) => ({
        m,
        argv: injectArgv(chain, {
          peers: peers.filter((p) => p !== m).map((p) => p.ip),
          direction: opts.direction,
          probability: opts.probability,
        }),
      }));
      for (const { m, argv } of plans) {
        const pid = await memberPid(m);
        if (!pid) {
          await heal();
          throw new Error(`cannot ${opts.verb} ${m.name}: it is not running`);
        }
        const failed = await apply(m, pid, argv, record);
        if (failed) {
          await heal().catch(() => {});
          throw new Error(`iptables failed in ${m.name}'s namespace: ${failed.stderr.trim() || `exit ${failed.exitCode}`}`);
        }
      }
      const p = opts.probability === undefined ? '' : ` (p=${opts.probability})`;
      const description = `${opts.verb} ${members.map((m) => m.name).join(', ')} ${
        opts.direction === 'inbound' ? 'from' : opts.direction === 'outbound' ? 'to' : 'from/to'
      } ${peers.map((m) => m.name).join(', ')}${p} [${chain}]`;
      return injection(opts.name, members, heal, description);
    },
  };
}

/** Cuts the target off from every other member, both ways (the harness host still reaches it). */
export function isolate(target: Target): Fault {
  return block(target, { name: 'isolate', verb: 'isolate', direction: 'both' });
}

/**
 * Splits the cluster in two: the target on one side, every other member on the other. Members on
 * the same side still talk to each other. `partition(Targets.majority())` leaves the rest a minority.
 */
export function partition(side: Target): Fault {
  return block(side, { name: 'partition', verb: 'partition', direction: 'both' });
}

/** The target drops packets coming from `from` (one-way: what it sends still leaves). */
export function dropInbound(target: Target, from: Target): Fault {
  return block(target, { name: 'drop-inbound', verb: 'drop inbound packets at', peers: from, direction: 'inbound' });
}

/** The target drops packets it sends to `to` (one-way: what `to` sends still arrives). */
export function dropOutbound(target: Target, to: Target): Fault {
  return block(target, { name: 'drop-outbound', verb: 'drop outbound packets at', peers: to, direction: 'outbound' });
}

/** Random loss: the target drops each packet from/to its peers with `probability` (iptables statistic). */
export function packetLoss(target: Target, probability: number, peers?: Target): Fault {
  return block(target, { name: 'packet-loss', verb: 'drop packets at random at', peers, direction: 'both', probability });
}
