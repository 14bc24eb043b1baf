import { lastLine, type CommandResult } from '../cluster/command-result.js';
import { trustOrigins } from '../cluster/http.js';
import type { Member } from '../cluster/member.js';
import type { StartedCluster } from '../cluster/started-cluster.js';
import { fail, pass } from '../checks/verdict.js';
import type { RunContext } from '../run/run-context.js';
import type { Check, Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { makeClusterPki, type ClusterPki } from '../tls/certificates.js';
import { expiresAt, firstExpiry, tlsRefusal } from '../tls/cert-expiry.js';
import { writePkiVolume } from '../tls/pki-volume.js';
import { oneMember } from './one-member.js';

/** The var holding when the member certificates in force expire (ms since the epoch). */
export const CERTS_EXPIRE_AT = 'certs-expire-at';
const YEAR = 365 * 24 * 3_600_000;

type CaHandle = NonNullable<Parameters<typeof makeClusterPki>[2]>;

/** The CA the cluster's certificates came from: new certificates must chain to the CA members trust. */
function authority(cluster: StartedCluster): { pki: ClusterPki; ca: CaHandle } {
  const pki = cluster.pki as (ClusterPki & { caHandle?: CaHandle }) | undefined;
  if (!pki?.caHandle || !cluster.clientTls) throw new Error('not a TLS cluster: this step needs ClusterSpec.tls');
  return { pki, ca: pki.caHandle };
}

// start-cluster.ts names the run's PKI volume so; members mount it read-only at /etc/etcd/pki.
const pkiVolume = (cluster: StartedCluster): string => `firedrill-${cluster.runId}-pki`;

/**
 * Installs `next` (the files in the PKI volume, which etcd reads on each new connection and etcdctl
 * on each call) and makes the harness's own HTTP and gRPC clients present its client certificate.
 * The ClientTls object is shared by the cluster and its members, so new clients pick it up.
 */
async function install(cluster: StartedCluster, next: ClusterPki): Promise<void> {
  await writePkiVolume(cluster.runId, cluster.spec.image, pkiVolume(cluster), next);
  Object.assign(cluster.clientTls!, { cert: next.client.cert, key: next.client.key });
  trustOrigins(cluster.clientUrls(), cluster.clientTls!);
  for (const m of cluster.members) m.close(); // cached etcd3 clients hold the old certificate
}

/**
 * Harness only: a client certificate valid for a year, from the cluster's CA, for the harness and
 * for etcdctl inside the members, so that when the member certificates expire the checks measure
 * etcd, not the harness's own certificate. Saves when the member certificates expire.
 */
export function renewHarnessClientCertificate(): Step {
  return {
    name: 'harness: a client certificate valid for a year, from the same CA (member certificates unchanged)',
    async run(ctx) {
      const { pki, ca } = authority(ctx.cluster);
      const fresh = await makeClusterPki([], { lifetimeMs: YEAR }, ca);
      await install(ctx.cluster, { ...pki, client: fresh.client });
      const expiry = firstExpiry(Object.values(pki.members).map((p) => p.cert));
      ctx.vars.set(CERTS_EXPIRE_AT, expiry.getTime());
      ctx.note(
        `member certificates expire at ${expiry.toISOString()} (in ${Math.round((expiry.getTime() - Date.now()) / 1000)} s); client certificate until ${expiresAt(fresh.client.cert).toISOString()}`,
      );
    },
  };
}

/** Waits (bounded) until the member certificates have expired, plus `marginMs`. */
export function waitForCertificateExpiry(marginMs = 1500, maxWaitMs = 60_000): Step {
  return {
    name: 'wait until the member certificates have expired',
    async run(ctx) {
      const at = ctx.vars.get(CERTS_EXPIRE_AT) as number | undefined;
      if (at === undefined) throw new Error('no certificate expiry recorded (renewHarnessClientCertificate must run first)');
      const wait = at + marginMs - Date.now();
      if (wait > maxWaitMs) throw new Error(`the certificates expire in ${Math.round(wait / 1000)} s: longer than this step waits`);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      ctx.note(`waited ${Math.max(0, Math.round(wait))} ms; expired at ${new Date(at).toISOString()}`);
    },
  };
}

/** A new client connection after expiry: what etcdctl said, and what the member logged about it. */
export interface ClientAttempt {
  result: CommandResult;
  /** What the client's own error names, when it names it (3.5's etcdctl does; 3.4's says only `context deadline exceeded`). */
  clientSaw?: 'expired' | 'bad certificate';
  /** The member's log lines refusing a handshake from etcdctl's address (its own IP) meanwhile. */
  serverLog: string[];
}

/**
 * `etcdctl <args>` inside the target as the seeds call it (a new connection, verifying the member's
 * certificate), plus the member's log lines of that moment refusing a handshake from the member's
 * own address, where etcdctl runs. Saved as `saveAs`.
 */
export function newClientConnection(target: Target, args: string[], title: string, saveAs: string, source?: string): Step {
  return {
    name: title,
    source,
    async run(ctx) {
      const m = await oneMember(ctx, target);
      const before = (await m.logLines()).length;
      const result = await ctx.etcdctl(m, args);
      // 3.4: `rejected connection from "10.213.5.11:43728"`, 3.5: `remote-addr=10.213.5.11:43728`.
      const refusals = async (): Promise<string[]> =>
        (await m.logLines())
          .slice(before)
          .filter((l) => tlsRefusal(l.text) && l.text.includes(`${m.ip}:`))
          .slice(0, 3)
          .map((l) => l.text.slice(0, 240));
      // The member logs the refused handshake a moment after etcdctl gives up: polled (bounded), as
      // a fixed pause is too short on a loaded machine, and 3.4's etcdctl names no x509 error itself.
      let serverLog = await refusals();
      for (let i = 0; i < 20 && serverLog.length === 0 && !result.ok; i++) {
        await new Promise((r) => setTimeout(r, 250));
        serverLog = await refusals();
      }
      const attempt: ClientAttempt = { result, clientSaw: tlsRefusal(`${result.stderr}\n${result.stdout}`), serverLog };
      ctx.vars.set(saveAs, attempt);
      ctx.note(
        `exit ${result.exitCode}: ${lastLine(result).slice(0, 100)}; ${m.name} logged ${serverLog.length} refused handshakes from ${m.ip}`,
      );
    },
  };
}

/** What a restart after expiry left behind: the TLS refusals each member logged since. */
export interface ReconnectAttempt {
  restarted: string;
  /** The restarted member still runs (etcd does not exit over a failed handshake). */
  running: boolean;
  /** Log lines naming an expired or refused certificate: per member at most 3 of each kind. */
  refusals: Array<{ member: string; kind: 'expired' | 'bad certificate'; text: string }>;
  waitedMs: number;
}

/**
 * Restarts the target, forcing new peer connections, and collects (for at most `timeoutMs`) the log
 * lines on every member that name an expired or refused certificate. Saved as `saveAs`.
 */
export function restartExpectingTlsRefusal(target: Target, remember: string, saveAs: string, source?: string, timeoutMs = 10_000): Step {
  return {
    name: `restart ${target.description}: it must make new peer connections`,
    source,
    async run(ctx) {
      const m = await oneMember(ctx, target, remember);
      const before = new Map<Member, number>();
      for (const x of ctx.cluster.members) before.set(x, (await x.logLines()).length);
      const t0 = performance.now();
      await m.stop();
      await m.start();
      let refusals: ReconnectAttempt['refusals'] = [];
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        refusals = [];
        for (const x of ctx.cluster.members) {
          const mine = (await x.logLines())
            .slice(before.get(x))
            .map((l) => ({ kind: tlsRefusal(l.text), text: l.text.length > 240 ? `${l.text.slice(0, 240)}…` : l.text }))
            .filter((l): l is { kind: 'expired' | 'bad certificate'; text: string } => l.kind !== undefined);
          // A few of each kind: a member's log may hold many refused handshakes before one x509 line.
          for (const kind of ['expired', 'bad certificate'] as const)
            refusals.push(
              ...mine
                .filter((l) => l.kind === kind)
                .slice(0, 3)
                .map((l) => ({ member: x.name, ...l })),
            );
        }
        const kinds = new Set(refusals.map((r) => r.kind));
        if ((kinds.has('expired') && kinds.has('bad certificate')) || performance.now() - t0 > timeoutMs) break;
      }
      const record: ReconnectAttempt = {
        restarted: m.name,
        running: (await m.state()) === 'running',
        refusals,
        waitedMs: Math.round(performance.now() - t0),
      };
      ctx.vars.set(saveAs, record);
      ctx.note(`${refusals.length} TLS refusals logged in ${record.waitedMs} ms; first: ${refusals[0]?.text.slice(0, 160) ?? '(none)'}`);
    },
  };
}

/**
 * The runbook's fix: new member certificates (and a client certificate) from the same CA, valid for
 * a year, written over the old files in the PKI volume. Members pick them up on new connections;
 * restart them one at a time afterwards.
 */
export function issueNewCertificates(source?: string): Step {
  return {
    name: 'issue new member certificates from the same CA (valid 1 year) and put them on every member',
    source,
    async run(ctx) {
      const { ca } = authority(ctx.cluster);
      const next = await makeClusterPki(
        ctx.cluster.members.map((m) => ({ name: m.name, ip: m.ip })),
        { lifetimeMs: YEAR },
        ca,
      );
      await install(ctx.cluster, next);
      const expiry = firstExpiry(Object.values(next.members).map((p) => p.cert));
      ctx.vars.set(CERTS_EXPIRE_AT, expiry.getTime());
      ctx.note(`new certificates for ${Object.keys(next.members).join(', ')}, valid until ${expiry.toISOString()}`);
    },
  };
}

/**
 * Waits (bounded) for the cluster to be ready again with no restart at all, recording whether and
 * when it was (metric `ready after new certificates, no restart`): measured, not judged, since the
 * runbook restarts the members anyway.
 */
export function observeReadyWithoutRestart(timeoutMs = 10_000): Step {
  return {
    name: `watch (at most ${timeoutMs / 1000} s) whether the members reconnect with no restart`,
    async run(ctx) {
      const t0 = ctx.now();
      const ready = await ctx.cluster.waitReady({ timeoutMs }).then(
        () => true,
        () => false,
      );
      if (ready) ctx.metric('ready after new certificates, no restart', ctx.now() - t0);
      ctx.note(
        ready
          ? `every member healthy, one leader, ${Math.round(ctx.now() - t0)} ms after the files were replaced`
          : `not ready within ${timeoutMs} ms without restarts`,
      );
    },
  };
}

/**
 * Live: a leader is elected and a put commits, asked with etcdctl skipping only the verification of
 * the server's certificate (`--insecure-skip-tls-verify`), so the answer is about etcd's peers, not
 * about whether the asking client trusts the member's certificate.
 */
export function commitsSkippingServerVerify(): Check {
  return {
    name: 'a leader is elected and a put commits (etcdctl --insecure-skip-tls-verify)',
    async run(ctx: RunContext) {
      const m = ctx.cluster.members[0]!;
      const r = await ctx.etcdctl(m, ['--insecure-skip-tls-verify', '--command-timeout=5s', 'put', '/firedrill/tls-probe', 'x'], {
        endpoints: ctx.cluster.clientUrls(),
      });
      return r.ok
        ? pass(`put through ${ctx.cluster.members.length} endpoints: ${r.stdout.trim()}`)
        : fail(`exit ${r.exitCode}: ${lastLine(r).slice(0, 200)}`);
    },
  };
}
