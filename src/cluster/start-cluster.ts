import { ensureEtcdImage, imageExists } from '../../docker/build-image.js';
import { InputError } from '../run/errors.js';
import { resolveClusterSpec, type ClusterSpec, type ResolvedClusterSpec } from './cluster-spec.js';
import { resolveClockSkew, skewAtCreation } from '../clock/member-clock.js';
import { assertDockerReachable, docker } from './docker-client.js';
import { attachPeerProxies } from '../faults/peer-proxy.js';
import { bootstrapFlags, PEER_PROXY_PORT } from './etcd-flags.js';
import { runLabels } from './labels.js';
import { Member, type MemberContext } from './member.js';
import { authorizeOrigins, trustOrigins, type Credentials } from './http.js';
import { makeClusterPki, type ClusterPki } from '../tls/certificates.js';
import { writePkiVolume } from '../tls/pki-volume.js';
import { createClusterNetwork, memberIp } from './network.js';
import { newRunId } from './run-id.js';
import { StartedCluster } from './started-cluster.js';
import { teardownOnSignal } from './teardown-on-signal.js';

export interface StartOptions {
  runId?: string;
  /** How long to wait for every member healthy and one leader agreed (default 60 s). */
  readyTimeoutMs?: number;
  /** Progress lines (image builds). */
  log?: (line: string) => void;
}

/** Makes sure the image exists: ours are built from Debian packages, others must be local. */
export async function ensureImage(spec: ResolvedClusterSpec, log?: (line: string) => void): Promise<void> {
  if (spec.version !== 'custom') {
    await ensureEtcdImage(spec.version, log);
    return;
  }
  if (!(await imageExists(spec.image))) {
    throw new InputError(
      `image "${spec.image}" is not present locally and no registry can be reached`,
      'build or load it first (`docker images` lists what is there), or use --version 3.4|3.5',
    );
  }
}

/**
 * Starts a cluster and resolves once every member is healthy and all agree on one leader. On any
 * failure everything created so far is removed before the error propagates.
 */
export async function startCluster(spec: ClusterSpec = {}, opts: StartOptions = {}): Promise<StartedCluster> {
  const resolved = resolveClusterSpec(spec);
  const skews = resolveClockSkew(spec.clockSkew, resolved.members);
  await assertDockerReachable();
  await ensureImage(resolved, opts.log);
  const runId = opts.runId ?? newRunId();
  const token = resolved.token ?? `firedrill-${runId}`;

  let cluster: StartedCluster | undefined;
  const created: { network?: string } = {};
  const unregister = teardownOnSignal(async () => {
    await (cluster ? cluster.stop() : sweep(runId));
  });
  try {
    const network = await createClusterNetwork(runId);
    created.network = network.name;
    const backupVolume = `firedrill-${runId}-backup`;
    await docker().createVolume({ Name: backupVolume, Labels: runLabels(runId) });
    const tls = Boolean(resolved.tls);
    const addresses = Array.from({ length: resolved.members }, (_, i) => ({
      name: `etcd-${i + 1}`,
      ip: memberIp(network.prefix, i + 1),
      tls,
      peerPort: resolved.peerProxy ? PEER_PROXY_PORT : undefined,
    }));
    const ctx: MemberContext = { runId, spec: resolved, network, backupVolume };
    let pki: ClusterPki | undefined;
    if (resolved.tls) {
      pki = await makeClusterPki(addresses, resolved.tls.validity);
      ctx.pkiVolume = `firedrill-${runId}-pki`;
      ctx.clientTls = { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key };
      await docker().createVolume({ Name: ctx.pkiVolume, Labels: runLabels(runId) });
      await writePkiVolume(runId, resolved.image, ctx.pkiVolume, pki);
    }
    const members = addresses.map((a, i) => new Member(ctx, i + 1, a.name, a.ip, bootstrapFlags(resolved, a, addresses, token)));
    if (resolved.peerProxy) attachPeerProxies(members);
    cluster = new StartedCluster(runId, resolved, network, backupVolume, members, unregister, ctx.clientTls, pki, ctx);
    if (ctx.clientTls) trustOrigins(cluster.clientUrls(), ctx.clientTls);
    // Create everything first, then start all at once: a new member asks each peer's /members
    // before it starts raft, with a 1 s timeout, and a peer whose container is not attached to the
    // network yet swallows that request whole. Starting close together keeps that window short.
    // allSettled, not all: on a failure every member must have settled before the sweep lists what
    // to remove, or a member created after the sweep would be left behind.
    for (const m of members) {
      const realtimeNs = skews.get(m.name);
      if (realtimeNs) skewAtCreation(m, { realtimeNs });
    }
    for (const phase of [(m: Member) => m.createVolume().then(() => m.ensureContainer()), (m: Member) => m.start()]) {
      const done = await Promise.allSettled(members.map(phase));
      const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await cluster.waitReady({ timeoutMs: opts.readyTimeoutMs ?? 60_000 });
    if (resolved.auth) await enableAuth(cluster, ctx, resolved.auth);
    return cluster;
  } catch (e) {
    await (cluster ? cluster.stop() : sweep(runId).finally(unregister)).catch(() => {});
    throw e;
  }
}

async function sweep(runId: string): Promise<void> {
  const { reap } = await import('./reaper.js');
  await reap({ runId, force: true });
}

/**
 * Turns password auth on the way the seeds and ground-truth.md do it, then makes every later
 * etcdctl call, host client and key read authenticate. A failure here is the harness's, so it throws.
 */
async function enableAuth(cluster: StartedCluster, ctx: MemberContext, auth: Credentials): Promise<void> {
  const m = cluster.member(1);
  const steps = [
    ['user', 'add', auth.user, `--new-user-password=${auth.password}`],
    ['role', 'add', 'root'],
    ['user', 'grant-role', auth.user, 'root'],
    ['auth', 'enable'],
  ];
  for (const args of steps) {
    const r = await m.etcdctl(args);
    if (!r.ok) throw new Error(`enabling auth failed at \`${r.command}\`: ${r.stderr.trim()}`);
  }
  ctx.auth = auth;
  cluster.auth = auth;
  authorizeOrigins(cluster.clientUrls(), auth);
}
