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
    const probes = await Promise.allSettled(
      clientUrls.map(async (url) => {
        const [status, health] = await Promise.all([fetchMemberStatus(url, 1000), fetchHealth(url, 1000)]);
        return { url, status, health };
      }),
    );
    const ok = probes.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const leaders = new Set(ok.map((p) => p.status.leaderId));
    const [leaderId] = leaders;
    if (ok.length === clientUrls.length && leaders.size === 1 && leaderId && ok.every((p) => p.health.healthy)) {
      return { leaderId, elapsedMs: performance.now() - t0, statuses: ok.map((p) => p.status) };
    }
    lastProblem = describe(clientUrls, probes, leaders);
    if (performance.now() - t0 > timeoutMs) {
      throw new TimeoutError(`cluster not ready (${lastProblem})`, timeoutMs, 'read the member logs (`docker logs`) or the run report');
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
  }
}

function describe(
  urls: readonly string[],
  probes: PromiseSettledResult<{ url: string; status: MemberStatus; health: { healthy: boolean; body: string } }>[],
  leaders: Set<string | undefined>,
): string {
  const problems = probes.map((p, i) =>
    p.status === 'rejected'
      ? `${urls[i]}: ${String((p.reason as Error)?.message ?? p.reason)}`
      : !p.value.health.healthy
        ? `${urls[i]}: ${p.value.health.body}`
        : '',
  );
  const bad = problems.filter(Boolean);
  if (bad.length) return bad.join('; ');
  return `members disagree on the leader: ${[...leaders].map((l) => l ?? 'none').join(', ')}`;
}
