// Pure tc argv for bandwidth limits (tbf), run in a member's network namespace by rate-limit.ts.
// The kernel here has tbf but no netem (checked: `tc qdisc add dev eth0 root tbf ...` works in a
// member's namespace; `netem` is "Specified qdisc kind is unknown"), so tbf limits rate only.

/** `1mbit`, `512kbit`, `10mbit`: tc's rate syntax, bits per second. */
const RATE = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit)$/;
const UNIT = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 } as const;

/** Bits per second of a tc rate; throws naming the value otherwise. */
export function rateBits(rate: string): number {
  const m = RATE.exec(rate);
  if (!m || Number(m[1]) <= 0) throw new Error(`rate "${rate}" is not a tc rate such as 1mbit or 512kbit`);
  return Number(m[1]) * UNIT[m[2] as keyof typeof UNIT];
}

/**
 * `tc qdisc add dev eth0 root tbf rate R burst B latency L`: the member's egress (everything it
 * sends, to peers and to the harness alike) at R. The burst is at least one MTU and at most what R
 * sends in 10 ms, so the limit bites at once; packets wait up to `latencyMs` before being dropped.
 */
export function tbfAddArgv(rate: string, dev = 'eth0', latencyMs = 1000): string[] {
  const bits = rateBits(rate);
  const burstBytes = Math.max(1600, Math.ceil(bits / 8 / 100));
  return ['tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', rate, 'burst', String(burstBytes), 'latency', `${latencyMs}ms`];
}

export function tbfDelArgv(dev = 'eth0'): string[] {
  return ['tc', 'qdisc', 'del', 'dev', dev, 'root'];
}

/** tc's answers when there is no root qdisc to delete (healed already, or a fresh namespace). */
export function isNoQdisc(stderr: string): boolean {
  return /Cannot delete qdisc with handle of zero|No such file or directory|Cannot find specified qdisc/i.test(stderr);
}
