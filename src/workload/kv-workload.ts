import type { Etcd3 } from 'etcd3';
import type { StartedCluster } from '../cluster/started-cluster.js';
import { mulberry32 } from '../checker/generate-history.js';
import type { KvOutput } from '../checker/kv-types.js';
import { KvHistory, type KvRecord, type KvRequest } from './kv-history.js';

export interface KvClient {
  /** `c0@etcd-1` or `c2@cluster`: the name says where the client sends its requests. */
  name: string;
  client: Etcd3;
}

/** Relative weights of the operations each client draws. */
export interface KvMix {
  get: number;
  serializableGet: number;
  put: number;
  delete: number;
  cas: number;
  leasePut: number;
  revoke: number;
}

export const DEFAULT_MIX: KvMix = { get: 30, serializableGet: 10, put: 25, delete: 5, cas: 20, leasePut: 7, revoke: 3 };

export interface KvWorkloadOptions {
  /** Operations per second, all clients together (default 100). */
  rate?: number;
  /** Stop after this many operations (default 2000) ... */
  maxOps?: number;
  /** ... or after this long (default 10 s), whichever comes first. */
  durationMs?: number;
  /** Keys `<prefix>0` .. `<prefix>keys-1` (default 4): few keys, so operations contend. */
  keys?: number;
  prefix?: string;
  mix?: Partial<KvMix>;
  /** Leases live this long (default 600 s): the checker assumes no lease expires during the run. */
  leaseTtlSec?: number;
  seed?: number;
  /** The clock shared with the rest of the run (default: a new one). */
  history?: KvHistory;
}

/**
 * Concurrent clients issuing puts, linearizable and serializable gets, deletes, compare-and-set
 * txns (on the value or the mod revision the client last saw) and lease puts and revokes, at a
 * configured rate, each one recorded with its answer in a KvHistory. It stops by itself after
 * `maxOps` operations or `durationMs`; `stop()` stops it early. Values are unique
 * (`<client>-<n>`), so a read names the write it saw.
 */
export class KvWorkload {
  readonly history: KvHistory;
  private stopped = false;
  private loops: Promise<void>[] = [];
  private issued = 0;
  private readonly leases: string[] = [];
  private granting?: Promise<string | undefined>;
  private readonly rand: () => number;
  private readonly opts: Required<Omit<KvWorkloadOptions, 'history' | 'mix'>> & { mix: KvMix };
  private endAt = Infinity;
  /** Resolves when every client has stopped (by itself or by stop()). */
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly clients: readonly KvClient[],
    options: KvWorkloadOptions = {},
  ) {
    this.history = options.history ?? new KvHistory();
    this.opts = {
      rate: options.rate ?? 100,
      maxOps: options.maxOps ?? 2000,
      durationMs: options.durationMs ?? 10_000,
      keys: options.keys ?? 4,
      prefix: options.prefix ?? '/firedrill/kv/',
      leaseTtlSec: options.leaseTtlSec ?? 600,
      seed: options.seed ?? 1,
      mix: { ...DEFAULT_MIX, ...options.mix },
    };
    this.rand = mulberry32(this.opts.seed);
  }

  start(): this {
    this.endAt = performance.now() + this.opts.durationMs;
    this.loops = this.clients.map((c, i) => this.loop(c, i));
    this.done = Promise.all(this.loops).then(() => undefined);
    return this;
  }

  async stop(): Promise<KvHistory> {
    this.stopped = true;
    await this.done;
    return this.history;
  }

  private running(): boolean {
    return !this.stopped && this.issued < this.opts.maxOps && performance.now() < this.endAt;
  }

  private async loop(c: KvClient, index: number): Promise<void> {
    const interval = (1000 * this.clients.length) / this.opts.rate;
    // Spread the clients' first operations over one interval.
    let next = performance.now() + (interval * index) / this.clients.length;
    const seen = new Map<string, { value: string; mod: number }>();
    for (let n = 0; ; n++) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(Math.min(wait, Math.max(0, this.endAt - performance.now())));
      if (!this.running()) return;
      this.issued++;
      next = Math.max(next + interval * (0.5 + this.rand()), performance.now());
      await this.one(c, `${c.name.split('@')[0]}-${n}`, seen);
    }
  }

  private pick(): keyof KvMix {
    const entries = Object.entries(this.opts.mix) as [keyof KvMix, number][];
    let r = this.rand() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return 'get';
  }

  private async one(c: KvClient, value: string, seen: Map<string, { value: string; mod: number }>): Promise<KvRecord | undefined> {
    const key = `${this.opts.prefix}${Math.floor(this.rand() * this.opts.keys)}`;
    const h = this.history;
    const kv = c.client;
    const rev = (header: { revision: string }): number => Number(header.revision);
    const kind = this.pick();
    switch (kind) {
      case 'get':
      case 'serializableGet': {
        const serializable = kind === 'serializableGet';
        const r = await h.record(c.name, { type: 'get', key, ...(serializable ? { serializable } : {}) }, async () => {
          const res = await kv.get(key).serializable(serializable).exec();
          const item = res.kvs[0];
          const out: KvOutput = item
            ? { exists: true, value: item.value.toString(), modRevision: Number(item.mod_revision), revision: rev(res.header) }
            : { exists: false, revision: rev(res.header) };
          return out;
        });
        if (r.output?.exists && !serializable) seen.set(key, { value: r.output.value!, mod: r.output.modRevision! });
        return r;
      }
      case 'put': {
        const r = await h.record(c.name, { type: 'put', key, value }, async () => ({
          revision: rev((await kv.put(key).value(value).exec()).header),
        }));
        if (r.output) seen.set(key, { value, mod: r.output.revision! });
        return r;
      }
      case 'delete':
        return await h.record(c.name, { type: 'delete', key }, async () => {
          const res = await kv.delete().key(key).exec();
          return { deleted: Number(res.deleted), revision: rev(res.header) };
        });
      case 'cas': {
        const last = seen.get(key);
        const onMod = this.rand() < 0.5;
        const compare = onMod
          ? { on: 'modRevision' as const, modRevision: last?.mod ?? 0 }
          : { on: 'value' as const, value: last?.value ?? '' };
        const r = await h.record(c.name, { type: 'cas', key, compare, value }, async () => {
          const txn =
            compare.on === 'modRevision' ? kv.if(key, 'Mod', '==', compare.modRevision) : kv.if(key, 'Value', '==', compare.value);
          const res = await txn.then(kv.put(key).value(value)).commit();
          return { succeeded: res.succeeded, revision: rev(res.header) };
        });
        if (r.output?.succeeded) seen.set(key, { value, mod: r.output.revision! });
        return r;
      }
      case 'leasePut': {
        const lease = await this.someLease(c);
        if (!lease) return undefined;
        const r = await h.record(c.name, { type: 'put', key, value, lease }, async () => ({
          revision: rev((await kv.put(key).value(value).lease(lease).exec()).header),
        }));
        if (r.output) seen.set(key, { value, mod: r.output.revision! });
        return r;
      }
      case 'revoke': {
        // Taken out of the pool before the call: no client starts a put with it afterwards.
        const lease = this.leases.splice(Math.floor(this.rand() * this.leases.length), 1)[0];
        if (!lease) return undefined;
        return await h.record(c.name, { type: 'revoke-lease', lease }, async () => ({
          revision: rev((await kv.leaseClient.leaseRevoke({ ID: lease })).header),
        }));
      }
    }
  }

  /** A live lease, granted (and recorded) when there is none; undefined when the grant failed. */
  private async someLease(c: KvClient): Promise<string | undefined> {
    if (this.leases.length > 0 && this.rand() < 0.8) return this.leases[Math.floor(this.rand() * this.leases.length)];
    this.granting ??= this.history
      .record(c.name, { type: 'grant-lease', ttlSec: this.opts.leaseTtlSec }, async () => {
        const res = await c.client.leaseClient.leaseGrant({ TTL: this.opts.leaseTtlSec, ID: 0 });
        return { lease: res.ID, revision: Number(res.header.revision) };
      })
      .then((r) => {
        const id = r.output?.lease;
        if (id) this.leases.push(id);
        return id;
      })
      .finally(() => (this.granting = undefined));
    return await this.granting;
  }
}

/**
 * Clients for a KV workload: `pinned` clients spread over the members one by one (each talks to
 * one member only, so a dead member's client records its failures), and `clusterWide` clients over
 * every endpoint. Each is its own connection, with a short call deadline so a lost answer is
 * recorded as unknown quickly. Close them with closeKvClients().
 */
export function kvClients(
  cluster: StartedCluster,
  opts: { pinned?: number; clusterWide?: number; callTimeoutMs?: number } = {},
): KvClient[] {
  const clientOpts = { callTimeoutMs: opts.callTimeoutMs ?? 2000, dialTimeoutMs: 1000 };
  const pinned = Array.from({ length: opts.pinned ?? cluster.members.length }, (_, i) => {
    const m = cluster.members[i % cluster.members.length]!;
    return { name: `c${i}@${m.name}`, client: m.client(clientOpts) };
  });
  const wide = Array.from({ length: opts.clusterWide ?? 2 }, (_, i) => ({
    name: `c${pinned.length + i}@cluster`,
    client: cluster.client(clientOpts),
  }));
  return [...pinned, ...wide];
}

export function closeKvClients(clients: readonly KvClient[]): void {
  for (const c of clients) c.client.close();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type { KvRequest };
