import type { KvOperation } from './check-kv-history.js';
import type { KvInput, KvOutput } from './kv-types.js';
import { withLeaseRevokes, type LeaseRevoke } from './lease-revokes.js';

export interface GenerateOptions {
  ops: number;
  clients: number;
  keys: number;
  seed: number;
  /** Share of operations whose answer is lost (applied or not, at random); default 0.02. */
  unknownRate?: number;
  /** Include lease puts and revokes; default true. */
  leases?: boolean;
  /** 0..1: how far calls and returns stretch from the linearization point; default 1 (maximal overlap). */
  overlap?: number;
}

export interface GeneratedHistory {
  /** Checker input (lease revokes already projected onto keys). */
  ops: KvOperation[];
  /** The sequential order the history was generated from (operation ids). */
  order: number[];
}

/**
 * A history that is linearizable by construction: operations are executed one at a time on a
 * reference model of etcd (one global revision, leases across keys), each at its own
 * linearization point; then every operation gets a call before and a return after that point,
 * random but consistent with each client doing one thing at a time, so concurrent operations
 * overlap the way real ones do. Some answers are lost (`unknown`, returning at infinity; the
 * operation was applied or not, at random); serializable gets may return stale values, since etcd
 * allows that.
 */
export function generateKvHistory(opts: GenerateOptions): GeneratedHistory {
  const rand = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const unknownRate = opts.unknownRate ?? 0.02;
  const overlap = opts.overlap ?? 1;
  const keys = Array.from({ length: opts.keys }, (_, i) => `/k${i}`);
  const store = new Map<string, { value: string; mod: number; lease?: string }>();
  const history = new Map<string, { value: string; mod: number }[]>(); // for stale serializable reads
  const live: string[] = [];
  let leaseCount = 0;
  let rev = 1; // etcd starts at revision 1
  let written = 0;

  const apply = (input: KvInput | { type: 'revoke-lease'; lease: string }): KvOutput => {
    const setKey = (key: string, value: string, lease?: string): void => {
      rev++;
      store.set(key, { value, mod: rev, lease });
      history.set(key, [...(history.get(key) ?? []), { value, mod: rev }]);
    };
    switch (input.type) {
      case 'get': {
        const kv = store.get(input.key);
        if (input.serializable && rand() < 0.5) {
          const past = history.get(input.key) ?? [];
          const old = past.length > 0 && rand() < 0.8 ? pick(past) : undefined;
          return old ? { exists: true, value: old.value, modRevision: old.mod, revision: old.mod } : { exists: false, revision: 1 };
        }
        return kv ? { exists: true, value: kv.value, modRevision: kv.mod, revision: rev } : { exists: false, revision: rev };
      }
      case 'put':
        setKey(input.key, input.value, input.lease);
        return { revision: rev };
      case 'delete':
        if (!store.has(input.key)) return { deleted: 0, revision: rev };
        rev++;
        store.delete(input.key);
        return { deleted: 1, revision: rev };
      case 'cas': {
        const kv = store.get(input.key);
        const holds = input.compare.on === 'value' ? kv?.value === input.compare.value : (kv?.mod ?? 0) === input.compare.modRevision;
        if (!holds) return { succeeded: false, revision: rev };
        setKey(input.key, input.value, input.lease);
        return { succeeded: true, revision: rev };
      }
      case 'revoke-lease': {
        const attached = [...store].filter(([, kv]) => kv.lease === input.lease);
        if (attached.length > 0) rev++;
        for (const [key] of attached) store.delete(key);
        live.splice(live.indexOf(input.lease), 1);
        return { revision: rev };
      }
      case 'revoke':
        throw new Error('the generator revokes whole leases');
    }
  };

  const nextInput = (): KvInput | { type: 'revoke-lease'; lease: string } => {
    const key = pick(keys);
    const r = rand();
    const value = (): string => `v${++written}`;
    if (r < 0.3) return { type: 'get', key };
    if (r < 0.4) return { type: 'get', key, serializable: true };
    if (r < 0.6) return { type: 'put', key, value: value() };
    if (r < 0.68) return { type: 'delete', key };
    if (r < 0.88) {
      const kv = store.get(key);
      if (rand() < 0.5) {
        const guess = kv && rand() < 0.7 ? kv.value : `v${1 + Math.floor(rand() * Math.max(1, written))}`;
        return { type: 'cas', key, compare: { on: 'value', value: guess }, value: value() };
      }
      const guess = rand() < 0.7 ? (kv?.mod ?? 0) : Math.floor(rand() * (rev + 1));
      return { type: 'cas', key, compare: { on: 'modRevision', modRevision: guess }, value: value() };
    }
    if (opts.leases === false) return { type: 'get', key };
    if (r < 0.96 || live.length === 0) {
      if (live.length === 0 || rand() < 0.3) live.push(`L${++leaseCount}`);
      return { type: 'put', key, value: value(), lease: pick(live) };
    }
    return { type: 'revoke-lease', lease: pick(live) };
  };

  // Sequential execution: operation i is linearized at time 10 * (i + 1), by a random client.
  type Planned = {
    id: number;
    client: number;
    at: number;
    input: KvInput | { type: 'revoke-lease'; lease: string };
    output?: KvOutput;
    lost: boolean;
  };
  const planned: Planned[] = [];
  for (let id = 0; id < opts.ops; id++) {
    const input = nextInput();
    const lost = rand() < unknownRate;
    // A lost answer: the request reached etcd (applied here) or it did not (not applied).
    const output = lost && rand() < 0.5 ? undefined : apply(input);
    planned.push({ id, client: Math.floor(rand() * opts.clients), at: 10 * (id + 1), input, output: lost ? undefined : output, lost });
  }

  // Intervals: each client's operations are one after another; each one spans its linearization point.
  const byClient = new Map<number, Planned[]>();
  for (const p of planned) byClient.set(p.client, [...(byClient.get(p.client) ?? []), p]);
  const ops: KvOperation[] = [];
  const revokes: LeaseRevoke[] = [];
  for (const [client, list] of byClient) {
    let free = 0; // when this client's previous operation returned (or gave up)
    list.forEach((p, i) => {
      const nextAt = list[i + 1]?.at ?? p.at + 10 * opts.clients;
      const call = p.at - (p.at - free) * overlap * rand() * 0.999;
      const ret = p.at + (nextAt - p.at) * overlap * rand() * 0.999;
      free = ret;
      const base = { id: p.id, client: `c${client}`, call, ret: p.lost ? Infinity : ret, output: p.output };
      if (p.input.type === 'revoke-lease') revokes.push({ ...base, input: p.input });
      else ops.push({ ...base, input: p.input });
    });
  }
  return { ops: withLeaseRevokes(ops, revokes), order: planned.map((p) => p.id) };
}

/** A small seeded PRNG: the same seed gives the same history everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
