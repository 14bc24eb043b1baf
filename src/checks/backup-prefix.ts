import { fail, pass, type Verdict } from './verdict.js';

/** One acknowledged write, in the order it was acknowledged. */
export interface AckedWrite {
  key: string;
  value: string;
}

/**
 * What a backup taken from a running member may hold: a prefix of the acknowledged writes.
 *
 * The backup copies the WAL up to the commit index on disk. etcd writes a HardState that only
 * advances the commit index without fsync (raft.MustSync), so that index can lag the newest
 * acknowledged write by a few entries: the newest writes may be missing. Whether they are depends
 * on whether a later fsync (a new entry, a term change) happened to flush it, so the loss is
 * reported, not asserted (CI saw 5 of 5 kept once where local runs lose the last one). What must
 * hold every time: no hole (an older write missing while a newer one is there) and no other value.
 */
export function judgeBackupPrefix(acked: readonly AckedWrite[], served: Readonly<Record<string, string | null>>): Verdict {
  const wrong = acked.filter((w) => served[w.key] != null && served[w.key] !== w.value);
  if (wrong.length)
    return fail(`values no acknowledged write set: ${wrong.map((w) => `${w.key}=${served[w.key]} (acked ${w.value})`).join(', ')}`, {
      served,
    });
  const kept = acked.findIndex((w) => served[w.key] == null);
  const prefix = kept === -1 ? acked.length : kept;
  const hole = acked.slice(prefix).filter((w) => served[w.key] != null);
  if (hole.length)
    return fail(
      `not a prefix: ${acked[prefix]!.key} is missing but the later ${hole.map((w) => w.key).join(', ')} ${hole.length === 1 ? 'is' : 'are'} there`,
      { served },
    );
  const lost = acked.slice(prefix).map((w) => w.key);
  return pass(
    lost.length
      ? `${prefix} of ${acked.length} v2 keys, a prefix; lost the newest acknowledged: ${lost.join(', ')}`
      : `all ${acked.length} v2 keys this time (the commit index had reached the disk; the loss is possible, not certain)`,
    { lost },
  );
}
