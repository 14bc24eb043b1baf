import type { LogLine } from '../cluster/log-line.js';

/** One clock-difference warning a member logged about a peer. */
export interface ClockWarning {
  /** Docker's timestamp (the host's clock, not the member's skewed one), ms since the epoch. */
  at: number;
  peer: string;
  /** As etcd printed it: `1.999546714s`. */
  drift: string;
}

// 3.4 (capnslog): `the clock difference against peer 408bc8c19b2164bb is too high [1.999546714s > 1s]`
const CAPNS = /the clock difference against peer ([0-9a-f]+) is too high \[([^\s\]]+) > /;
// 3.5 (zap): msg `prober found high clock drift`, fields remote-peer-id=..., clock-drift=...
const ZAP = /prober found high clock drift/;

/** The clock-difference warnings in a member's log (3.4 and 3.5 wordings), from `sinceMs` on. */
export function clockWarnings(lines: readonly LogLine[], sinceMs = 0): ClockWarning[] {
  const out: ClockWarning[] = [];
  for (const l of lines) {
    const at = Date.parse(l.dockerTime);
    if (!(at >= sinceMs)) continue;
    const c = CAPNS.exec(l.text);
    if (c) {
      out.push({ at, peer: c[1]!, drift: c[2]! });
      continue;
    }
    if (ZAP.test(l.text)) {
      out.push({
        at,
        peer: /remote-peer-id=([0-9a-f]+)/.exec(l.text)?.[1] ?? '?',
        drift: /clock-drift=(\S+)/.exec(l.text)?.[1] ?? '?',
      });
    }
  }
  return out;
}

/** TLS failures caused by a clock outside a certificate's window, in either side's wording. */
export const CERT_TIME_ERROR = /certificate has expired or is not yet valid|tls: bad certificate|tls: expired certificate/;
