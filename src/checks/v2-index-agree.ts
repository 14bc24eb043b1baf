import { httpFetch } from '../cluster/http.js';
import type { Member } from '../cluster/member.js';
import type { Check } from '../run/scenario.js';
import { fail, pass } from './verdict.js';

/** The key seed 004 asks for: it must not exist, so the answer is etcd's "Key not found" with the index. */
export const MISSING_V2_KEY = '/some_key_not_exists';

/**
 * A member's current v2 etcd index, as seed 004 reads it: `GET /v2/keys/some_key_not_exists` answers
 * 404 `{"errorCode":100,...,"index":N}` with `X-Etcd-Index: N` (the v2 API must be enabled). The index
 * moves with v2 writes and etcd's own membership writes, not with v3 traffic (ground-truth.md §12).
 * v2 reads are served from the member's own store, so a member cut off from the leader still answers.
 */
export async function readV2Index(clientUrl: string, timeoutMs = 2000): Promise<number> {
  const res = await httpFetch(`${clientUrl}/v2/keys${MISSING_V2_KEY}`, { signal: AbortSignal.timeout(timeoutMs) });
  return parseV2Index(res.status, res.headers.get('x-etcd-index'), await res.text());
}

/** The index from an answer to `GET /v2/keys/<missing key>`: the header, else the body's `index`; throws with why not. */
export function parseV2Index(status: number, header: string | null, body: string): number {
  if (status === 404 && /page not found/.test(body)) throw new Error('the v2 API is off (start etcd with --enable-v2)');
  let fromBody: number | undefined;
  try {
    fromBody = (JSON.parse(body) as { index?: number }).index;
  } catch {
    fromBody = undefined;
  }
  const index = Number(header ?? fromBody);
  if (header === null && fromBody === undefined) throw new Error(`HTTP ${status} without X-Etcd-Index: ${body.trim().slice(0, 120)}`);
  if (!Number.isFinite(index)) throw new Error(`HTTP ${status} with an unreadable index: ${header ?? body.trim().slice(0, 120)}`);
  return index;
}

/** Each member's v2 index, or why it could not be read (a stopped or frozen member does not answer). */
export async function v2Indexes(members: readonly Member[], timeoutMs = 2000): Promise<Map<Member, number | Error>> {
  const each = await Promise.all(
    members.map(
      async (m) =>
        [m, await readV2Index(m.clientUrl, timeoutMs).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))] as const,
    ),
  );
  return new Map(each);
}

/** `etcd-1=18, etcd-2=18, etcd-3=12` (or `no answer (...)`). */
export function showIndexes(indexes: Map<Member, number | Error>): string {
  return [...indexes].map(([m, i]) => `${m.name}=${i instanceof Error ? `no answer (${i.message})` : i}`).join(', ');
}

/**
 * Every member reports the same v2 etcd index (seed 004's check after a v2→v3 upgrade: a member far
 * behind is damaged). Polled for up to `timeoutMs`, since a follower applies a moment after the leader.
 */
export function v2IndexAgree(timeoutMs = 5000): Check {
  return {
    name: 'v2 etcd index (X-Etcd-Index of a missing key) agrees on every member',
    async run(ctx) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const indexes = await v2Indexes(ctx.cluster.members);
        const values = [...indexes.values()];
        const numbers = values.filter((v): v is number => typeof v === 'number');
        if (numbers.length === values.length && new Set(numbers).size === 1)
          return pass(`index ${numbers[0]} on all ${numbers.length} members (GET /v2/keys${MISSING_V2_KEY})`);
        if (performance.now() > deadline) {
          const top = Math.max(...numbers);
          const behind = [...indexes]
            .filter(([, v]) => typeof v === 'number' && v < top)
            .map(([m, v]) => `${m.name} ${top - (v as number)} behind`);
          return fail(`${showIndexes(indexes)}${behind.length ? `: ${behind.join(', ')}` : ''}`, {
            indexes: Object.fromEntries([...indexes].map(([m, v]) => [m.name, v instanceof Error ? v.message : v])),
          });
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}
