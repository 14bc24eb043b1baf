import { CERT_TIME_ERROR } from '../clock/clock-warnings.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';

/** The certificate-time errors (either side's wording) every member logged since `since` (host ms): the count and the first few. */
async function certTimeErrors(ctx: RunContext, since: number): Promise<{ count: number; first: string[] }> {
  const lines = (await Promise.all(ctx.cluster.members.map(async (x) => (await x.logLines()).map((l) => ({ l, who: x.name }))))).flat();
  const errs = lines.filter(({ l }) => Date.parse(l.dockerTime) >= since && CERT_TIME_ERROR.test(l.text));
  return { count: errs.length, first: errs.slice(0, 3).map(({ l, who }) => `${who}: ${l.text.slice(0, 300)}`) };
}

export interface Reachability {
  member: string;
  /** Was it healthy at any poll during the watch? */
  everHealthy: boolean;
  /** ms until it was first seen unhealthy (cut off) or healthy (joined). */
  changedAfterMs?: number;
  lastAnswer: string;
  /** Lines about certificate times in any member's log since the watch began (first few). */
  certErrors: string[];
  certErrorCount: number;
  watchedMs: number;
}

async function healthOf(m: Member): Promise<{ healthy: boolean; body: string }> {
  return m.health(2000).catch((e: unknown) => ({ healthy: false, body: e instanceof Error ? e.message : String(e) }));
}

/**
 * Polls the member's /health for up to `timeoutMs` until it `until` (`unhealthy`: it was cut off;
 * `healthy`: it joined), or for the whole time with `until: 'never'` (a member that must not join);
 * records what it saw and the certificate-time errors logged meanwhile.
 */
export function watchHealth(ref: string, until: 'unhealthy' | 'healthy' | 'never', saveAs: string, timeoutMs = 20_000): Step {
  const what =
    until === 'never' ? `for ${timeoutMs / 1000} s that it never becomes healthy` : `up to ${timeoutMs / 1000} s until it is ${until}`;
  return {
    name: `watch the ${ref} ${what}`,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      if (!m) throw new Error(`no member remembered as ${ref}`);
      const since = Date.now();
      const t0 = performance.now();
      const seen: Reachability = { member: m.name, everHealthy: false, lastAnswer: '', certErrors: [], certErrorCount: 0, watchedMs: 0 };
      for (;;) {
        const h = await healthOf(m);
        seen.everHealthy ||= h.healthy;
        seen.lastAnswer = h.body.trim().slice(0, 200);
        const hit = until === 'unhealthy' ? !h.healthy : until === 'healthy' ? h.healthy : false;
        if (hit) {
          seen.changedAfterMs = Math.round(performance.now() - t0);
          break;
        }
        if (performance.now() - t0 >= timeoutMs) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      seen.watchedMs = Math.round(performance.now() - t0);
      // 2 s back: a refused handshake of the start that came just before the watch counts too.
      const errs = await certTimeErrors(ctx, since - 2000);
      seen.certErrorCount = errs.count;
      seen.certErrors = errs.first;
      ctx.vars.set(saveAs, seen);
      if (seen.changedAfterMs !== undefined) ctx.metric(`${saveAs}: ${m.name} ${until} after`, seen.changedAfterMs);
      ctx.note(
        `${m.name}: ${seen.everHealthy ? 'healthy at some point' : 'never healthy'}; last answer ${seen.lastAnswer}; ${seen.certErrorCount} certificate-time errors logged`,
      );
    },
  };
}

export interface LogWatch {
  member: string;
  pattern: string;
  /** The first matching line of the member's log since the watch began, if any. */
  line?: string;
  afterMs?: number;
  watchedMs: number;
  /** Certificate-time errors (either side's wording) in any member's log since the watch began. */
  certErrorCount: number;
  certErrors: string[];
}

/**
 * Watches the member's log (lines Docker received since the step began) for up to `timeoutMs`
 * until `pattern` appears; records the line, or that it never came, and the certificate-time
 * errors every member logged meanwhile.
 */
export function watchLog(ref: string, pattern: RegExp, what: string, saveAs: string, timeoutMs: number): Step {
  return {
    name: `watch the log of the ${ref} up to ${timeoutMs / 1000} s for ${what}`,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      if (!m) throw new Error(`no member remembered as ${ref}`);
      const since = Date.now();
      const t0 = performance.now();
      const seen: LogWatch = { member: m.name, pattern: String(pattern), watchedMs: 0, certErrorCount: 0, certErrors: [] };
      for (;;) {
        const hit = (await m.logLines()).find((l) => Date.parse(l.dockerTime) >= since && pattern.test(l.text));
        if (hit) {
          seen.line = hit.text.slice(0, 300);
          seen.afterMs = Math.round(performance.now() - t0);
          break;
        }
        if (performance.now() - t0 >= timeoutMs) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      seen.watchedMs = Math.round(performance.now() - t0);
      const errs = await certTimeErrors(ctx, since);
      seen.certErrorCount = errs.count;
      seen.certErrors = errs.first;
      ctx.vars.set(saveAs, seen);
      if (seen.afterMs !== undefined) ctx.metric(`${saveAs}: ${what} after`, seen.afterMs);
      ctx.note(
        `${seen.line ? `after ${seen.afterMs} ms: ${seen.line.slice(0, 160)}` : `not in ${seen.watchedMs} ms`}; ${seen.certErrorCount} certificate-time errors logged`,
      );
    },
  };
}
