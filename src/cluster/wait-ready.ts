import { TimeoutError } from '../run/errors.js';
import { fetchHealth, fetchMemberStatus, type MemberStatus } from './member-status.js';

export interface ReadyResult {
  leaderId: string;
  elapsedMs: number;
  statuses: MemberStatus[];
}

/**
 * Waits until every endpoint is healthy (`/health` true) and all agree on one leader. Used both by
 * the harness and by the benchmark's raw `docker run` baseline, so both are waited on the same way.
 */
export async function waitForClusterReady(
  clientUrls: readonly string[],
  opts: { timeoutMs?: number; pollMs?: number } = {},
): Promise<ReadyResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const t0 = performance.now();
  let lastProblem = 'no answer yet';
  for (;;) {
    // Status first: it answers at once, leader or not. /health blocks until its own timeout on a
    // member without a leader, so it is asked only once every member names the same leader;
    // otherwise one early poll would cost a whole second.
    const statuses = await Promise.allSettled(clientUrls.map((url) => fetchMemberStatus(url, 500)));
    const answered = statuses.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const leaders = new Set(answered.map((s) => s.leaderId));
    const [leaderId] = leaders;
    let probes: Probe[] = statuses.map((p, i) =>
      p.status === 'fulfilled' ? { url: clientUrls[i]!, status: p.value } : { url: clientUrls[i]!, error: errorText(p.reason) },
    );
    if (answered.length === clientUrls.length && leaders.size === 1 && leaderId) {
      const health = await Promise.allSettled(clientUrls.map((url) => fetchHealth(url, 1000)));
      if (health.every((h) => h.status === 'fulfilled' && h.value.healthy)) {
        return { leaderId, elapsedMs: performance.now() - t0, statuses: answered };
      }
      probes = probes.map((p, i) => {
        const h = health[i]!;
        return h.status === 'rejected' ? { ...p, error: errorText(h.reason) } : h.value.healthy ? p : { ...p, error: h.value.body };
      });
    }
    lastProblem = describe(probes, leaders);
    if (performance.now() - t0 > timeoutMs) {
      throw new TimeoutError(`cluster not ready (${lastProblem})`, timeoutMs, 'read the member logs (`docker logs`) or the run report');
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 25));
  }
}

interface Probe {
  url: string;
  status?: MemberStatus;
  error?: string;
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

function describe(probes: readonly Probe[], leaders: Set<string | undefined>): string {
  const bad = probes.filter((p) => p.error).map((p) => `${p.url}: ${p.error}`);
  if (bad.length) return bad.join('; ');
  return `members disagree on the leader: ${[...leaders].map((l) => l ?? 'none').join(', ')}`;
}
