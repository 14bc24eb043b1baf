import { httpFetch } from '../cluster/http.js';
import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

/** Reads a v2 key from one member: its value, or undefined when etcd says `Key not found`. */
export async function readV2(clientUrl: string, key: string): Promise<string | undefined> {
  const res = await httpFetch(`${clientUrl}/v2/keys${key}`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { errorCode?: number; node?: { value?: string } };
  if (res.status === 404 && body.errorCode === 100) return undefined;
  if (!res.ok) throw new Error(`GET /v2/keys${key}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.node?.value;
}

/** Every acknowledged v2 write is present (or, after a v3 snapshot restore, absent) on every member. */
export function v2Keys(expect: 'present' | 'absent'): Check {
  return {
    name: `v2 keys ${expect} on every member`,
    async run(ctx) {
      const acked = ctx.history.ops.filter((o) => o.api === 2 && o.outcome === 'ok');
      if (acked.length === 0) return unknown('no acknowledged v2 writes to look for');
      const wrong: string[] = [];
      for (const m of ctx.cluster.members) {
        for (const op of acked) {
          const v = await readV2(m.clientUrl, op.key);
          if (expect === 'present' ? v !== op.value : v !== undefined) wrong.push(`${m.name}:${op.key}=${v ?? '(absent)'}`);
        }
      }
      const n = acked.length * ctx.cluster.members.length;
      return wrong.length
        ? fail(`${wrong.length} of ${n} v2 reads not ${expect} (e.g. ${wrong[0]})`, { wrong })
        : pass(`all ${acked.length} v2 keys ${expect} on all ${ctx.cluster.members.length} members`);
    },
  };
}
