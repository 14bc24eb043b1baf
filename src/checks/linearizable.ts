import { checkKvHistory } from '../checker/check-kv-history.js';
import { describeKv } from '../checker/kv-types.js';
import { renderTimelines, timelineData } from '../checker/render.js';
import { checkSerializableReads } from '../checker/serializable-reads.js';
import type { RunContext } from '../run/run-context.js';
import type { Check } from '../run/scenario.js';
import type { KvHistory } from '../workload/kv-history.js';
import { KvWorkload } from '../workload/kv-workload.js';
import { fail, pass, unknown, type Verdict } from './verdict.js';

/** Where a step leaves the KV workload (or its history) for this check: `ctx.vars.set(KV_HISTORY_VAR, workload)`. */
export const KV_HISTORY_VAR = 'kv-history';

export interface LinearizableOptions {
  /** Search time (default 10 s); when it runs out the verdict is unknown, never pass. */
  budgetMs?: number;
  /** Time to shrink a violation to its smallest piece (default 2 s). */
  shrinkMs?: number;
  /** Default: the KvWorkload or KvHistory in ctx.vars under KV_HISTORY_VAR (a running workload is stopped first). */
  history?: (ctx: RunContext) => KvHistory | KvWorkload | undefined;
}

/**
 * The recorded KV history is linearizable (etcd's KV model, key by key, revisions included;
 * serializable reads left out of that, and checked for what etcd promises them: no phantom values,
 * a member's revision never goes back). A violation comes with its smallest piece as per-client
 * timelines (text) and as timeline data for the HTML report.
 */
export function linearizable(opts: LinearizableOptions = {}): Check {
  return {
    name: 'history linearizable',
    async run(ctx) {
      const found = opts.history ? opts.history(ctx) : (ctx.vars.get(KV_HISTORY_VAR) as KvHistory | KvWorkload | undefined);
      if (!found) return unknown(`no KV history recorded (nothing under ctx.vars "${KV_HISTORY_VAR}")`);
      const history = found instanceof KvWorkload ? await found.stop() : found;
      return verdictFor(history, opts);
    },
  };
}

/** The verdict on one history (also used directly by tests and exploration). */
export function verdictFor(history: KvHistory, opts: Omit<LinearizableOptions, 'history'> = {}): Verdict {
  const ops = history.toCheckerOps();
  const counts = { ok: history.count('ok'), fail: history.count('fail'), unknown: history.count('unknown') };
  if (counts.ok === 0)
    return unknown(`no operation of the history succeeded (${history.records.length} recorded): nothing to check`, { counts });
  const r = checkKvHistory(ops, { budgetMs: opts.budgetMs ?? 10_000, shrinkMs: opts.shrinkMs });
  const summary = `${history.records.length} operations (${counts.ok} ok, ${counts.unknown} unknown, ${counts.fail} failed) on ${r.partitions.length} keys, checked in ${Math.round(r.ms)} ms`;
  const serializable = checkSerializableReads(ops);
  const details = { counts, ms: Math.round(r.ms), partitions: r.partitions, serializable };
  if (r.status === 'ok' && serializable.length > 0)
    return fail(
      `linearizable, but ${serializable.length} serializable-read/member-revision violation(s): ${serializable
        .slice(0, 3)
        .map((v) => v.message)
        .join('; ')}: ${summary}`,
      details,
    );
  if (r.status === 'ok') return pass(`linearizable: ${summary}`, details);
  if (r.status === 'unknown') {
    const open = r.partitions.filter((p) => p.status === 'unknown').map((p) => p.key);
    return unknown(
      `undecided within the ${opts.budgetMs ?? 10_000} ms budget on ${open.length} key(s) (${open.join(', ')}): ${summary}`,
      details,
    );
  }
  const { key, piece } = r.failing!;
  const timeline = timelineData(key, piece, describeKv);
  const text = renderTimelines(timeline);
  return fail(`not linearizable on key ${key} (smallest piece: ${piece.ops.length} operations): ${summary}\n${text}`, {
    ...details,
    key,
    text,
    timeline,
  });
}
