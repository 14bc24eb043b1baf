/**
 * Operations on etcd's key-value store as the checker models them. Revisions are optional
 * everywhere: a history that did not record them (Jepsen's register histories) is checked on values
 * alone, and when they are there every one is checked.
 */
export type KvInput =
  | { type: 'get'; key: string; /** serializable reads are not linearizable and are not checked */ serializable?: boolean }
  | { type: 'put'; key: string; value: string; lease?: string }
  | { type: 'delete'; key: string }
  /** A txn: if the compare holds then put `value`, else nothing (etcd's compare-and-set). */
  | { type: 'cas'; key: string; compare: CasCompare; value: string; lease?: string }
  /** Lease revoke, projected on one key: deletes the key if it is attached to `lease`. */
  | { type: 'revoke'; key: string; lease: string };

/** `value`: the key exists with this value (a missing key never compares equal, as in etcd). `modRevision`: 0 means the key is missing. */
export type CasCompare = { on: 'value'; value: string } | { on: 'modRevision'; modRevision: number };

export interface KvOutput {
  /** get: whether the key exists, its value and mod revision. */
  exists?: boolean;
  value?: string;
  modRevision?: number;
  /** The response header's revision (the store's revision when the request was served). */
  revision?: number;
  /** delete: keys deleted (0 or 1). */
  deleted?: number;
  /** cas: whether the compare held (and the put was applied). */
  succeeded?: boolean;
}

/** `key`/`lease` of an input, for partitioning and rendering. */
export const inputKey = (input: KvInput): string => input.key;

/** A short human form: `put x=3`, `get x → 3 @r12`, `cas x 3→4 ✓`. */
export function describeKv(input: KvInput, output: KvOutput | undefined): string {
  const rev = (o?: KvOutput): string => (o?.revision !== undefined ? ` @r${o.revision}` : '');
  const q = (v: string): string => JSON.stringify(v);
  switch (input.type) {
    case 'get': {
      const kind = input.serializable ? 'get(serializable)' : 'get';
      if (!output) return `${kind} → ?`;
      const v = output.exists === false ? 'nil' : output.value !== undefined ? q(output.value) : '?';
      const mod = output.modRevision !== undefined && output.exists !== false ? ` mod=${output.modRevision}` : '';
      return `${kind} → ${v}${mod}${rev(output)}`;
    }
    case 'put':
      return `put ${q(input.value)}${input.lease ? ` lease=${input.lease}` : ''}${output ? ' ✓' + rev(output) : ' → ?'}`;
    case 'delete':
      return `delete${output ? (output.deleted !== undefined ? ` → ${output.deleted}` : ' ✓') + rev(output) : ' → ?'}`;
    case 'cas': {
      const cmp = input.compare.on === 'value' ? `value=${q(input.compare.value)}` : `mod=${input.compare.modRevision}`;
      const res = !output ? ' → ?' : output.succeeded ? ' ✓' + rev(output) : ' ✗' + rev(output);
      return `cas if ${cmp} then ${q(input.value)}${res}`;
    }
    case 'revoke':
      return `revoke lease ${input.lease}${output ? ' ✓' + rev(output) : ' → ?'}`;
  }
}
