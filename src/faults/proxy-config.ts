// Pure part of the peer proxy (docker/peer-proxy/peer-proxy.c): which rules each member's proxy
// holds for a set of injections, and the config file text it reads. Unit-tested without Docker.

/** What the proxy does to connections from one peer IP (or `*`: every peer). */
export interface ProxyEffect {
  /** Added to every chunk, each direction (so a round trip through the proxy gains 2 × delay). */
  delayMs: number;
  /** Uniform in [-jitter, +jitter] on top of the delay; byte order is kept. */
  jitterMs: number;
  /** Probability that a new connection is closed at once (TCP cannot lose single bytes). */
  refuse: number;
  /** Read and discard everything, both ways, keeping the connection open. */
  blackhole: boolean;
}

export interface ProxyRule extends ProxyEffect {
  /** The dialing peer's IP, or `*`. */
  peer: string;
}

export const NO_EFFECT: ProxyEffect = { delayMs: 0, jitterMs: 0, refuse: 0, blackhole: false };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Validates an effect; throws naming the bad value and the range. */
export function validateEffect(e: ProxyEffect): void {
  const ms = (v: number, what: string): void => {
    if (!Number.isInteger(v) || v < 0 || v > 600_000) throw new Error(`${what} ${v} ms is not a whole number of ms in 0-600000`);
  };
  ms(e.delayMs, 'delay');
  ms(e.jitterMs, 'jitter');
  if (!(e.refuse >= 0 && e.refuse <= 1)) throw new Error(`refuse probability ${e.refuse} is not in [0, 1]`);
}

/**
 * The rules that put `effect` on every link of the slowed members: each slowed member's own proxy
 * applies it to all its connections (`*`: connections its peers dialed to it), and every other
 * member's proxy applies it to connections dialed by a slowed member. Together they cover every
 * raft connection the slowed member takes part in, in both directions: etcd peers dial each other
 * (a stream from each side, plus pipeline and snapshot connections), so half the traffic of a
 * member travels on connections it dialed itself.
 */
export function rulesFor(slowed: readonly { ip: string }[], all: readonly { ip: string }[], effect: ProxyEffect): Map<string, ProxyRule[]> {
  validateEffect(effect);
  const slowIps = new Set(slowed.map((m) => m.ip));
  const out = new Map<string, ProxyRule[]>();
  for (const m of all) {
    if (!IPV4.test(m.ip)) throw new Error(`"${m.ip}" is not an IPv4 address`);
    const rules: ProxyRule[] = slowIps.has(m.ip) ? [{ peer: '*', ...effect }] : [...slowIps].map((ip) => ({ peer: ip, ...effect }));
    out.set(m.ip, rules);
  }
  return out;
}

/** Injections stacked on one peer key: delays and jitters add up, refusals and blackholes combine. */
export function combine(effects: readonly ProxyEffect[]): ProxyEffect {
  return effects.reduce(
    (a, e) => ({
      delayMs: a.delayMs + e.delayMs,
      jitterMs: a.jitterMs + e.jitterMs,
      refuse: 1 - (1 - a.refuse) * (1 - e.refuse),
      blackhole: a.blackhole || e.blackhole,
    }),
    NO_EFFECT,
  );
}

/**
 * The config file for one proxy from every injection in force there: one line per peer key,
 * `<ip|*> <delay_ms> <jitter_ms> <refuse_probability> <blackhole 0|1>`. An exact IP line wins over
 * `*` in the proxy, so a peer that matches both gets the sum here.
 */
export function renderConfig(rules: readonly ProxyRule[]): string {
  const byPeer = new Map<string, ProxyEffect[]>();
  for (const r of rules) byPeer.set(r.peer, [...(byPeer.get(r.peer) ?? []), r]);
  const star = byPeer.get('*') ?? [];
  const lines: string[] = [];
  for (const [peer, effects] of [...byPeer].sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b)))) {
    const e = combine(peer === '*' ? effects : [...effects, ...star]);
    lines.push(`${peer} ${e.delayMs} ${e.jitterMs} ${Number(e.refuse.toFixed(6))} ${e.blackhole ? 1 : 0}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
