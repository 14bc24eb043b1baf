// Pure iptables rule building for network faults: no Docker, no processes, so the exact argv of
// every fault is unit-tested (test/unit/iptables-rules.test.ts). netns.ts runs them.

/** Which packets between a member and its peers are dropped, seen from that member. */
export type Direction = 'both' | 'inbound' | 'outbound';

/** What one member's network namespace drops: packets from/to these peer IPs. */
export interface BlockSpec {
  /** Peer member IPs (never the bridge gateway: the harness host keeps reaching the member). */
  peers: readonly string[];
  /** `inbound`: packets from the peers; `outbound`: packets to them; `both` (a partition). */
  direction: Direction;
  /** Drop each matching packet with this probability (iptables `statistic`), instead of all. */
  probability?: number;
}

export const CHAIN_PREFIX = 'FIREDRILL-';
// iptables chain names are at most 28 characters (XT_EXTENSION_MAXNAMELEN - 1 = 28).
const MAX_CHAIN = 28;
// Wait up to 5 s for the xtables lock instead of failing when two faults act at once.
const WAIT = ['-w', '5'];
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `FIREDRILL-<id>`: one chain per injection, so heal removes exactly what that injection added. */
export function chainName(id: string): string {
  const name = `${CHAIN_PREFIX}${id}`;
  if (!/^[A-Za-z0-9-]+$/.test(id) || name.length > MAX_CHAIN) {
    throw new Error(`bad chain id "${id}": use 1-${MAX_CHAIN - CHAIN_PREFIX.length} letters, digits or dashes`);
  }
  return name;
}

/** Validates a BlockSpec; throws naming the bad value. */
export function validateBlock(spec: BlockSpec): void {
  if (spec.peers.length === 0) throw new Error('a network fault needs at least one peer to cut off');
  for (const ip of spec.peers) if (!IPV4.test(ip)) throw new Error(`"${ip}" is not an IPv4 address`);
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) {
    throw new Error(`drop probability ${spec.probability} is not in (0, 1]`);
  }
}

/**
 * The iptables argv lists (without the `iptables` binary) that put `spec` in force in one network
 * namespace: create the chain, fill it, then jump to it first thing from INPUT and OUTPUT. The jumps
 * come last, so a half-applied injection never drops anything, and heal can undo any prefix of it.
 */
export function injectArgv(chain: string, spec: BlockSpec): string[][] {
  validateBlock(spec);
  const drop =
    spec.probability === undefined || spec.probability === 1
      ? ['-j', 'DROP']
      : ['-m', 'statistic', '--mode', 'random', '--probability', String(spec.probability), '-j', 'DROP'];
  const rules: string[][] = [];
  for (const ip of spec.peers) {
    // `-s peer` only matches on the INPUT path and `-d peer` only on OUTPUT: one chain serves both.
    if (spec.direction !== 'outbound') rules.push([...WAIT, '-A', chain, '-s', ip, ...drop]);
    if (spec.direction !== 'inbound') rules.push([...WAIT, '-A', chain, '-d', ip, ...drop]);
  }
  return [[...WAIT, '-N', chain], ...rules, [...WAIT, '-I', 'INPUT', '1', '-j', chain], [...WAIT, '-I', 'OUTPUT', '1', '-j', chain]];
}

/** The argv lists that remove `chain` and the jumps to it; each may fail harmlessly when already gone. */
export function healArgv(chain: string): string[][] {
  return [
    [...WAIT, '-D', 'INPUT', '-j', chain],
    [...WAIT, '-D', 'OUTPUT', '-j', chain],
    [...WAIT, '-F', chain],
    [...WAIT, '-X', chain],
  ];
}

/** True when iptables failed only because the rule or chain is not there (already healed). */
export function isAlreadyGone(stderr: string): boolean {
  return /No chain\/target\/match by that name|does a matching rule exist|Bad rule|does not exist|doesn't exist/i.test(stderr);
}

/** The FIREDRILL chains in `iptables -S` output: what a healed namespace must not have. */
export function firedrillChains(iptablesS: string): string[] {
  const chains = new Set<string>();
  for (const line of iptablesS.split('\n')) {
    const m = /^-N (FIREDRILL-[A-Za-z0-9-]+)$/.exec(line.trim());
    if (m) chains.add(m[1]!);
    const j = /-j (FIREDRILL-[A-Za-z0-9-]+)\b/.exec(line);
    if (j) chains.add(j[1]!);
  }
  return [...chains].sort();
}
