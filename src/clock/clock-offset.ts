import { InputError } from '../run/errors.js';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};
/** About ±95 years: the vDSO stub computes seconds × 10⁹ in 64 bits. */
const MAX_NS = 3_000_000_000_000_000_000n;

/**
 * A clock offset in nanoseconds from a number of milliseconds (`2000`, `-7_200_000`) or a Go-style
 * duration (`+2h`, `-1.5s`, `900ms`, `1h30m`); a bare integer string is nanoseconds, as the helper
 * reads it. Throws InputError naming the value and the accepted forms.
 */
export function offsetNs(offset: number | string): bigint {
  if (typeof offset === 'number') {
    if (!Number.isFinite(offset)) throw badOffset(String(offset));
    return check(BigInt(Math.round(offset * 1_000_000)), String(offset));
  }
  const text = offset.trim();
  const m = /^([+-]?)(.+)$/.exec(text);
  if (!m || !m[2]) throw badOffset(offset);
  const sign = m[1] === '-' ? -1n : 1n;
  if (/^\d+$/.test(m[2])) return check(sign * BigInt(m[2]), offset);
  let total = 0n;
  let rest = m[2];
  while (rest) {
    const part = /^(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h|d)/.exec(rest);
    if (!part) throw badOffset(offset);
    const unit = UNITS[part[3]!]!;
    const frac = part[2] ?? '';
    total += BigInt(part[1]!) * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    rest = rest.slice(part[0].length);
  }
  return check(sign * total, offset);
}

function check(ns: bigint, shown: string): bigint {
  if (ns > MAX_NS || ns < -MAX_NS) throw badOffset(shown);
  return ns;
}

function badOffset(shown: string): InputError {
  return new InputError(
    `clock offset "${shown}" is not valid`,
    'give milliseconds (2000, -7200000) or a duration such as +2h, -1.5s, 900ms (at most ~95 years)',
  );
}

/** `+2h`, `-1.5s`, `+900ms`, `0s`: the shortest exact form, for step names and notes. */
export function formatOffset(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '+';
  const abs = ns < 0n ? -ns : ns;
  for (const [unit, size] of [
    ['h', UNITS.h!],
    ['m', UNITS.m!],
    ['s', UNITS.s!],
    ['ms', UNITS.ms!],
    ['us', UNITS.us!],
  ] as const) {
    if (abs >= size) {
      const whole = abs / size;
      const frac = abs % size;
      if (frac === 0n) return `${sign}${whole}${unit}`;
      // One decimal place of the unit when that is exact (1.5s), otherwise the next unit down.
      if ((frac * 10n) % size === 0n) return `${sign}${whole}.${(frac * 10n) / size}${unit}`;
    }
  }
  return `${sign}${abs}ns`;
}

/** What `clockskew query|set|reset` prints about a process, parsed. */
export interface ClockState {
  pid: number;
  patched: boolean;
  realtimeNs: bigint;
  monotonicNs: bigint;
  /** How long the process was stopped for the patch (set, mono, reset only). */
  pausedUs?: number;
  threads?: number;
}

/** Parses the helper's one line of `key=value` pairs; throws on anything else. */
export function parseClockState(line: string): ClockState {
  const kv = new Map<string, string>();
  for (const m of line.trim().matchAll(/(\w+)=(-?\d+)/g)) kv.set(m[1]!, m[2]!);
  const need = (k: string): string => {
    const v = kv.get(k);
    if (v === undefined) throw new Error(`clockskew printed no ${k}: ${JSON.stringify(line.trim())}`);
    return v;
  };
  const opt = (k: string): number | undefined => (kv.has(k) ? Number(kv.get(k)) : undefined);
  return {
    pid: Number(need('pid')),
    patched: need('patched') === '1',
    realtimeNs: BigInt(need('realtime_ns')),
    monotonicNs: BigInt(need('monotonic_ns')),
    pausedUs: opt('paused_us'),
    threads: opt('threads'),
  };
}
