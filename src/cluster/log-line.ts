/**
 * One line of a member's log. etcd 3.4 logs in capnslog text (`2026-11-21 10:33:27.981017 I |
 * etcdserver: msg`), 3.5 in zap JSON (`{"level":"info","msg":"..."}`); matchers look at `text`, which
 * holds the message plus every field, so one pattern can serve both versions.
 */
export interface LogLine {
  /** Docker's receive timestamp (RFC 3339, nanoseconds), comparable across members. */
  dockerTime: string;
  level: 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'critical' | 'panic' | 'unknown';
  /** capnslog package (`etcdserver`) or zap caller (`etcdserver/server.go:123`). */
  source: string;
  msg: string;
  /** Message and all fields, flattened: what matchers search. */
  text: string;
  raw: string;
}

const CAPNS_LEVELS: Record<string, LogLine['level']> = {
  D: 'debug',
  I: 'info',
  N: 'notice',
  W: 'warn',
  E: 'error',
  C: 'critical',
};

/** Parses one `docker logs --timestamps` line. */
export function parseLogLine(line: string): LogLine {
  const sp = line.indexOf(' ');
  const dockerTime = sp > 0 && /^\d{4}-\d\d-\d\dT/.test(line) ? line.slice(0, sp) : '';
  const raw = dockerTime ? line.slice(sp + 1) : line;
  if (raw.startsWith('{')) {
    try {
      const j = JSON.parse(raw) as Record<string, unknown>;
      const msg = String(j.msg ?? '');
      const fields = Object.entries(j)
        .filter(([k]) => !['level', 'ts', 'caller', 'msg'].includes(k))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      const level = String(j.level ?? 'unknown');
      return {
        dockerTime,
        level: (['debug', 'info', 'warn', 'error', 'panic'].includes(level)
          ? level
          : level === 'fatal'
            ? 'critical'
            : 'unknown') as LogLine['level'],
        source: String(j.caller ?? ''),
        msg,
        text: [msg, ...fields].join(' '),
        raw,
      };
    } catch {
      // not JSON after all: fall through to text
    }
  }
  const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ([DINWEC]) \| ([^:]+): (.*)$/.exec(raw);
  if (m) return { dockerTime, level: CAPNS_LEVELS[m[1]!] ?? 'unknown', source: m[2]!, msg: m[3]!, text: m[3]!, raw };
  return { dockerTime, level: raw.startsWith('panic:') ? 'panic' : 'unknown', source: '', msg: raw, text: raw, raw };
}

/** Parses a whole log, dropping empty lines. */
export function parseLog(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map(parseLogLine);
}
