import { randomBytes } from 'node:crypto';
import type { ResolvedClusterSpec } from '../cluster/cluster-spec.js';
import type { Member } from '../cluster/member.js';
import type { Target } from '../targets/target.js';
import { injection, type Fault } from './fault.js';
import { addProxyRules, removeProxyRules } from './peer-proxy.js';
import { NO_EFFECT, rulesFor, validateEffect, type ProxyEffect, type ProxyRule } from './proxy-config.js';

const needsProxy = (spec: ResolvedClusterSpec): true | string =>
  spec.peerProxy ? true : 'needs a cluster started with peerProxy: true (this kernel has no netem; the proxy adds the delay)';

function slow(name: string, target: Target, effect: ProxyEffect, describe: string): Fault {
  validateEffect(effect);
  return {
    name,
    available: needsProxy,
    async inject(ctx) {
      const members = await target.resolve(ctx);
      const all = ctx.cluster.members;
      const byIp = rulesFor(members, all, effect);
      const id = randomBytes(4).toString('hex');
      const rules = new Map<Member, ProxyRule[]>();
      for (const m of all) rules.set(m, byIp.get(m.ip) ?? []);
      try {
        await addProxyRules(id, rules);
      } catch (e) {
        // Some proxies may have the rules already: take them off again, or they would outlive the run's view of them.
        await removeProxyRules(id, all).catch(() => {});
        throw e;
      }
      return injection(
        name,
        members,
        () => removeProxyRules(id, all),
        `${describe} on every peer link of ${members.map((m) => m.name).join(', ')}`,
      );
    },
  };
}

/** Adds `ms` (± `jitterMs`) to each direction of every raft connection of the target (needs peerProxy). */
export function delay(target: Target, ms: number, jitterMs = 0): Fault {
  return slow('delay', target, { ...NO_EFFECT, delayMs: ms, jitterMs }, `delay ${ms} ms${jitterMs ? ` ± ${jitterMs} ms` : ''}`);
}

/** The target's raft connections stay open but carry nothing, both ways (needs peerProxy). */
export function blackhole(target: Target): Fault {
  return slow('blackhole', target, { ...NO_EFFECT, blackhole: true }, 'blackhole');
}

/** New raft connections of the target are closed at once with `probability` (needs peerProxy). */
export function refuseConnections(target: Target, probability: number): Fault {
  return slow('refuse-connections', target, { ...NO_EFFECT, refuse: probability }, `refuse new connections (p=${probability})`);
}
