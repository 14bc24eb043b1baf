import type { Etcd3 } from 'etcd3';
import { quorumOf } from './quorum.js';
import { TimeoutError } from '../run/errors.js';
import type { EtcdFlags, ResolvedClusterSpec } from './cluster-spec.js';
import { etcdClient, type ClientOptions } from './etcd-client.js';
import { bootstrapFlags, mergeFlags, PEER_PROXY_PORT } from './etcd-flags.js';
import { attachPeerProxies } from '../faults/peer-proxy.js';
import { authorizeOrigins, forgetCredentials, forgetOrigins, trustOrigins, type ClientTls, type Credentials } from './http.js';
import { makeClusterPki, type ClusterPki } from '../tls/certificates.js';
import { writePkiVolume } from '../tls/pki-volume.js';
import { Member, type MemberContext } from './member.js';
import type { MemberStatus } from './member-status.js';
import { memberIp, type ClusterNetwork } from './network.js';
import { reap } from './reaper.js';
import { waitForClusterReady, type ReadyResult } from './wait-ready.js';

const ADDRESS_FLAGS = [
  'listen-client-urls',
  'advertise-client-urls',
  'listen-peer-urls',
  'initial-advertise-peer-urls',
  'initial-cluster',
] as const;

/** What is left of a cluster after teardown: enough to name it in a report. */
export interface StoppedCluster {
  readonly state: 'stopped';
  readonly runId: string;
  readonly members: readonly string[];
  readonly teardownMs: number;
}

export interface LeaderInfo {
  leader: Member;
  term: number;
  elapsedMs: number;
}

/**
 * A running cluster. `await using cluster = await startCluster(spec)` tears it down at the end of
 * the scope, whatever happens; `stop()` does the same and returns the StoppedCluster.
 */
export class StartedCluster implements AsyncDisposable {
  readonly state = 'started' as const;
  private cachedClient?: Etcd3;
  /** Set once auth is enabled (ClusterSpec.auth): host clients authenticate as this user. */
  auth?: Credentials;
  private stopped?: Promise<StoppedCluster>;
  private current: Member[];
  /** Members taken out of the cluster (removed, or moved to another host): their logs stay in reports. */
  private readonly retired: Member[] = [];

  constructor(
    readonly runId: string,
    readonly spec: ResolvedClusterSpec,
    readonly network: ClusterNetwork,
    readonly backupVolume: string,
    members: readonly Member[],
    private readonly unregister: () => void = () => {},
    /** TLS clusters: what host clients present, and the PKI the certificates came from. */
    readonly clientTls?: ClientTls,
    readonly pki?: ClusterPki,
    /** What members share (network, volumes, auth); needed to add members later. */
    private readonly memberContext?: MemberContext,
  ) {
    this.current = [...members];
  }

  /** The members the cluster has now: the bootstrap ones, plus added ones, minus retired ones. */
  get members(): readonly Member[] {
    return this.current;
  }

  /**
   * A new member on the next free IP of the run's network, labelled like the others and removed
   * with the run: a new host. It is created, not started: register it with `member add` first and
   * start it with `initial-cluster-state: existing` (its `--initial-cluster` is the current members
   * plus itself). `name` is its etcd `--name` (default `etcd-<n>`); `host` names the machine when
   * an existing member moves there (member-migrate: same name, new host).
   */
  async addMember(opts: { name?: string; host?: string; flags?: EtcdFlags } = {}): Promise<Member> {
    if (!this.memberContext) throw new Error('this cluster was not started by startCluster: it cannot add members');
    const every = [...this.current, ...this.retired];
    const index = Math.max(...every.map((m) => m.index)) + 1;
    if (index > 240) throw new Error(`no free IP left on ${this.network.subnet}`);
    const name = opts.name ?? `etcd-${index}`;
    const host = opts.host ?? name;
    if (every.some((m) => m.host === host)) throw new Error(`a member on host ${host} already exists in run ${this.runId}`);
    const tls = Boolean(this.spec.tls);
    // On a peerProxy cluster every member, a new one too, is reached through its proxy's port.
    const peerPort = this.spec.peerProxy ? PEER_PROXY_PORT : undefined;
    const self = { name, ip: memberIp(this.network.prefix, index), tls, peerPort };
    if (tls) await this.issueCertificate(self);
    // Each peer at the IP it has now (a member that moved is listed at its new host).
    const peers = [...this.current.filter((m) => m.name !== name).map((m) => ({ name: m.name, ip: m.ip, tls, peerPort })), self];
    const token = String(this.current[0]?.currentFlags['initial-cluster-token'] ?? `firedrill-${this.runId}`);
    // A new host gets its own addresses, whatever cluster-wide flags say (single-to-three starts its
    // one member on localhost peer URLs); everything else is as for the bootstrap members.
    const own = bootstrapFlags({ ...this.spec, flags: {} }, self, peers, token);
    const addresses = Object.fromEntries(ADDRESS_FLAGS.map((k) => [k, own[k] ?? null]));
    const flags = mergeFlags(bootstrapFlags(this.spec, self, peers, token), {
      ...addresses,
      'initial-cluster-state': 'existing',
      ...opts.flags,
    });
    const m = new Member(this.memberContext, index, name, self.ip, flags, host);
    if (this.spec.peerProxy) attachPeerProxies([m]);
    await m.createVolume();
    await m.ensureContainer();
    this.current.push(m);
    if (this.clientTls) trustOrigins([m.clientUrl], this.clientTls);
    if (this.auth) authorizeOrigins([m.clientUrl], this.auth);
    return m;
  }

  /**
   * A TLS cluster's new host needs a certificate for its IP: issued by the run's CA and written to
   * the PKI volume under the member's name (a member that moved gets one for its new IP; its old
   * host is retired). The other files are rewritten unchanged.
   */
  private async issueCertificate(self: { name: string; ip: string }): Promise<void> {
    const pki = this.pki as (ClusterPki & { caHandle?: Parameters<typeof makeClusterPki>[2] }) | undefined;
    const volume = this.memberContext?.pkiVolume;
    if (!pki?.caHandle || !volume) throw new Error('this TLS cluster has no CA to issue a certificate for a new member');
    const issued = await makeClusterPki([self], this.spec.tls?.validity, pki.caHandle);
    pki.members[self.name] = issued.members[self.name]!;
    await writePkiVolume(this.runId, this.spec.image, volume, pki);
  }

  /**
   * Takes a member out of the harness's view of the cluster (after `member remove`, or when it moved
   * to another host): checks and leader polls stop asking it. Its container and volume stay until
   * teardown, and its log stays in the report.
   */
  retire(m: Member): void {
    if (!this.current.includes(m)) return;
    this.current = this.current.filter((x) => x !== m);
    this.retired.push(m);
  }

  /** A member by name (`etcd-2`) or 1-based index. */
  member(which: string | number): Member {
    const m = typeof which === 'number' ? this.members[which - 1] : this.members.find((x) => x.name === which);
    if (!m) throw new Error(`no member ${String(which)} in run ${this.runId} (members: ${this.members.map((x) => x.name).join(', ')})`);
    return m;
  }

  /** Comma-free list of client URLs, for etcd3 clients. */
  clientUrls(members: readonly Member[] = this.members): string[] {
    return members.map((m) => m.clientUrl);
  }

  /** `--endpoints` value for etcdctl. */
  endpoints(members: readonly Member[] = this.members): string {
    return this.clientUrls(members).join(',');
  }

  /** `--initial-cluster` value for the current members. */
  initialCluster(members: readonly Member[] = this.members): string {
    // From each member's own peer URL, so the scheme (http or https) is always the cluster's.
    return members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  }

  /** The members whose container runs now (not stopped, exited or paused), in order. */
  async running(among: readonly Member[] = this.members): Promise<Member[]> {
    const states = await Promise.all(among.map((m) => m.state()));
    return among.filter((_, i) => states[i] === 'running');
  }

  /** Status of each member, or the error it gave (a stopped or paused member does not answer). */
  async statuses(timeoutMs = 1000, members: readonly Member[] = this.members): Promise<Map<Member, MemberStatus | Error>> {
    const results = await Promise.all(
      members.map(
        async (m) => [m, await m.status(timeoutMs).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))] as const,
      ),
    );
    return new Map(results);
  }

  /**
   * The member that a majority of the answering members name as leader, with its term; undefined
   * when there is none (quorum lost, election in progress).
   */
  async leader(timeoutMs = 1000, among: readonly Member[] = this.members): Promise<{ leader: Member; term: number } | undefined> {
    const statuses = await this.statuses(timeoutMs, among);
    const votes = new Map<string, number>();
    let term = 0;
    for (const s of statuses.values()) {
      if (s instanceof Error || !s.leaderId) continue;
      votes.set(s.leaderId, (votes.get(s.leaderId) ?? 0) + 1);
      term = Math.max(term, s.raftTerm);
    }
    const quorum = quorumOf(this.members.length);
    for (const [id, n] of votes) {
      // Only a leader among the asked members counts: right after a kill the survivors still name
      // the dead leader for a moment, and that is not a new election.
      const leader = among.find((m) => m.id === id);
      if (leader && n >= Math.min(quorum, statuses.size)) return { leader, term };
    }
    return undefined;
  }

  /** Polls until a leader other than `not` is agreed; the elapsed time is measured, never asserted. */
  async waitForLeader(opts: { not?: Member; among?: readonly Member[]; timeoutMs?: number; pollMs?: number } = {}): Promise<LeaderInfo> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const among = opts.among ?? this.members.filter((m) => m !== opts.not);
    const t0 = performance.now();
    for (;;) {
      const found = await this.leader(500, among);
      if (found && found.leader !== opts.not) return { ...found, elapsedMs: performance.now() - t0 };
      if (performance.now() - t0 > timeoutMs)
        throw new TimeoutError(`no new leader among ${among.map((m) => m.name).join(', ')}`, timeoutMs);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
    }
  }

  /** Waits until the given members (default all) are healthy and agree on one leader. */
  async waitReady(opts: { members?: readonly Member[]; timeoutMs?: number } = {}): Promise<ReadyResult> {
    const members = opts.members ?? this.members;
    const ready = await waitForClusterReady(this.clientUrls(members), { timeoutMs: opts.timeoutMs });
    for (const [i, s] of ready.statuses.entries()) members[i]!.id = s.memberId;
    return ready;
  }

  /** A host-side etcd3 client over every member (no retries, deadline on every call). */
  client(opts?: ClientOptions): Etcd3 {
    if (opts) return etcdClient(this.clientUrls(), { tls: this.clientTls, auth: this.auth, ...opts });
    this.cachedClient ??= etcdClient(this.clientUrls(), { tls: this.clientTls, auth: this.auth });
    return this.cachedClient;
  }

  /** Every member's log, keyed by host (the member name, unless it moved), retired members included (for reports). */
  async logs(): Promise<Record<string, string>> {
    const all = [...this.retired, ...this.current];
    return Object.fromEntries(await Promise.all(all.map(async (m) => [m.host, await m.logs()] as const)));
  }

  /** Removes every container, the network and the volumes of this run. Safe to call twice. */
  stop(): Promise<StoppedCluster> {
    this.stopped ??= (async () => {
      const t0 = performance.now();
      this.unregister();
      this.cachedClient?.close();
      const all = [...this.retired, ...this.current];
      for (const m of all) m.close();
      forgetOrigins(this.clientUrls(all));
      forgetCredentials(this.clientUrls(all));
      // Sweep by label rather than by the objects we remember: one-shot containers included.
      await reap({ runId: this.runId, force: true });
      return { state: 'stopped', runId: this.runId, members: this.members.map((m) => m.name), teardownMs: performance.now() - t0 } as const;
    })();
    // A failed teardown (e.g. Docker's 409 "removal in progress") may be tried again.
    this.stopped.catch(() => (this.stopped = undefined));
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
