import type { Member } from '../cluster/member.js';
import type { Check } from '../run/scenario.js';
import { fail, pass } from './verdict.js';

/** Every member answers `/health` with true (polled up to `timeoutMs`: a restarted member needs a moment). */
export function membersHealthy(timeoutMs = 20_000): Check {
  return {
    name: 'every member healthy',
    async run(ctx) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const results = await Promise.all(
          ctx.cluster.members.map(
            async (m) => [m, await m.health(2000).catch((e: Error) => ({ healthy: false, body: e.message }))] as const,
          ),
        );
        const sick = results.filter(([, h]) => !h.healthy);
        if (sick.length === 0) return pass(`all ${results.length} members report /health true`);
        if (performance.now() > deadline) {
          const states = await Promise.all(
            sick.map(
              async ([m, h]) => `${m.name} (${await m.state()}, exit ${(await m.exitCode()) ?? '-'}): ${h.body}${await lastFatal(m)}`,
            ),
          );
          return fail(`${sick.length} of ${results.length} members unhealthy after ${timeoutMs} ms: ${states.join('; ')}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
  };
}

/** The member's last critical, panic or error log line: why it is down, in etcd's words. */
async function lastFatal(m: Member): Promise<string> {
  const lines = await m.logLines().catch(() => []);
  const bad = lines.filter((l) => l.level === 'critical' || l.level === 'panic' || l.level === 'error').pop();
  return bad ? ` [log: ${bad.text.slice(0, 200)}]` : '';
}
