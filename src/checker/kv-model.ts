import type { Model } from './operation.js';
import { describeKv, type KvInput, type KvOutput } from './kv-types.js';

/**
 * The state of one key (P-compositionality: each key is checked on its own).
 * `mod` is the key's mod revision (0 when it does not exist); `undefined` when it was written by an
 * operation whose answer was lost: then it is only known to be above `modAbove`. `floor` is the
 * highest store revision any operation linearized so far on this key has seen: etcd's revision
 * only grows, so a later read must see at least it and a later write must produce more.
 */
export interface KeyState {
  value: string | null;
  mod: number | undefined;
  modAbove: number;
  lease: string | undefined;
  floor: number;
}

const INITIAL: KeyState = { value: null, mod: 0, modAbove: 0, lease: undefined, floor: 0 };

/**
 * etcd's KV semantics for one key, revisions included. What is projected away (documented so a
 * pass is read for what it is): the store revision is global, but per key we only check that it
 * never goes backwards and that writes raise it; a lease revoke is checked key by key, not as one
 * atomic step; leases are assumed not to expire during the history (the workload grants long ones).
 */
export const kvModel: Model<KeyState, KvInput, KvOutput> = {
  init: () => [INITIAL],
  key: (s) => `${s.value === null ? '∅' : 'v' + s.value}|${s.mod ?? '>' + s.modAbove}|${s.lease ?? ''}|${s.floor}`,
  step,
  readOnly: (input, output) =>
    input.type === 'get' || (input.type === 'cas' && output?.succeeded === false) || (input.type === 'delete' && output?.deleted === 0),
  describe: describeKv,
  describeState: (s) =>
    s.value === null
      ? `missing, revision ≥ ${s.floor}`
      : `${JSON.stringify(s.value)} mod=${s.mod ?? `>${s.modAbove}`}${s.lease ? ` lease=${s.lease}` : ''}, revision ≥ ${s.floor}`,
};

function step(s: KeyState, input: KvInput, out: KvOutput | undefined): KeyState[] {
  switch (input.type) {
    case 'get':
      return read(s, out);
    case 'put':
      return write(s, input.value, input.lease, out);
    case 'delete':
      if (s.value === null)
        return out?.deleted !== undefined && out.deleted !== 0 ? [] : read(s, out && { exists: false, revision: out.revision });
      if (out?.deleted === 0) return [];
      return remove(s, out);
    case 'cas': {
      const results: KeyState[] = [];
      for (const holds of compareOutcomes(s, input)) {
        if (out?.succeeded !== undefined && out.succeeded !== holds) continue;
        if (holds) {
          if (input.compare.on === 'modRevision' && s.mod === undefined) {
            // The compare holding tells us the unknown mod revision.
            results.push(...write({ ...s, mod: input.compare.modRevision }, input.value, input.lease, out));
          } else results.push(...write(s, input.value, input.lease, out));
        } else results.push(...read(s, out && { revision: out.revision }));
      }
      return results;
    }
    case 'revoke':
      if (s.value !== null && s.lease === input.lease) return remove(s, out, true);
      return read(s, out && { revision: out.revision });
  }
}

/** Whether a compare can hold in `s`: both when the mod revision is unknown and could be the one compared. */
function compareOutcomes(s: KeyState, input: Extract<KvInput, { type: 'cas' }>): boolean[] {
  const c = input.compare;
  if (c.on === 'value') return [s.value !== null && s.value === c.value];
  if (s.mod !== undefined) return [s.mod === c.modRevision];
  return c.modRevision > s.modAbove ? [true, false] : [false];
}

function read(s: KeyState, out: KvOutput | undefined): KeyState[] {
  if (!out) return [s];
  if (out.exists !== undefined) {
    if (out.exists !== (s.value !== null)) return [];
    if (out.exists && out.value !== undefined && out.value !== s.value) return [];
  }
  let next = s;
  if (out.exists && out.modRevision !== undefined) {
    if (s.mod !== undefined ? out.modRevision !== s.mod : out.modRevision <= s.modAbove) return [];
    if (s.mod === undefined) next = { ...next, mod: out.modRevision };
  }
  if (out.revision !== undefined) {
    if (out.revision < s.floor) return [];
    if (next.mod !== undefined && out.revision < next.mod) return [];
    if (out.revision > s.floor) next = { ...next, floor: out.revision };
  }
  return [next];
}

function write(s: KeyState, value: string, lease: string | undefined, out: KvOutput | undefined): KeyState[] {
  const rev = out?.revision;
  if (rev === undefined) return [{ value, mod: undefined, modAbove: s.floor, lease, floor: s.floor }];
  if (rev <= s.floor) return [];
  return [{ value, mod: rev, modAbove: 0, lease, floor: rev }];
}

function remove(s: KeyState, out: KvOutput | undefined, lenientRevision = false): KeyState[] {
  const rev = out?.revision;
  if (rev === undefined) return [{ ...INITIAL, floor: s.floor }];
  // A revoke's header revision is only required not to go back (how etcd numbers it is not modelled).
  if (lenientRevision ? rev < s.floor : rev <= s.floor) return [];
  return [{ ...INITIAL, floor: rev }];
}
