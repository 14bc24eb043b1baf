import { Checks, fail, pass, type Verdict } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import type { Check, Scenario } from '../src/run/scenario.js';
import { restartAllAtOnce, rollingRestart } from '../src/runbook/restart-steps.js';
import { Steps } from '../src/runbook/steps.js';
import {
  CERTS_EXPIRE_AT,
  commitsSkippingServerVerify,
  issueNewCertificates,
  renewHarnessClientCertificate,
  restartExpectingTlsRefusal,
  newClientConnection,
  observeReadyWithoutRestart,
  waitForCertificateExpiry,
  type ClientAttempt,
  type ReconnectAttempt,
} from '../src/runbook/tls-steps.js';
import {
  describeServed,
  recordServedCertificates,
  servedCertificatesValid,
  type ServedCertificate,
} from '../src/runbook/served-certificates.js';
import { Targets } from '../src/targets/targets.js';

const HOUR = 3_600_000;
// Certificates start one hour back (the default notBefore, when they are made, just before the
// members start) and expire 20 s after they were made: about 15 s after the cluster is ready on
// this machine, long enough for prepare, short enough to keep the run short.
const LIFETIME_MS = HOUR + 20_000;
// etcdctl runs on a member host, as an operator would.
const OPERATOR = Targets.named('etcd-1');
const SOURCE = 'beyond the seeds (issue 4 point 5); closest: runbooks.md §7 (certificate validity window), seed 004 故障排查';

const saw = (name: string, key: string, judge: (r: CommandResult) => Verdict): Check =>
  Checks.observed(name, key, (v) => judge(v as CommandResult));
const all = (r: CommandResult): string => `${r.stderr}\n${r.stdout}`;

/** Assumption: prepare ended before the certificates expired, or the drill would show nothing. */
const validAtFault: Check = {
  name: 'the member certificates were still valid when the fault began',
  async run(ctx) {
    const at = ctx.vars.get(CERTS_EXPIRE_AT) as number | undefined;
    if (at === undefined) return fail('no expiry recorded');
    const left = at - Date.now();
    return left > 1000
      ? pass(`${Math.round(left / 1000)} s left at the end of prepare`)
      : fail(`expired ${Math.round(-left / 1000)} s before the fault: the cluster came up too slowly to see the expiry happen`);
  },
};

export const certExpiry: Scenario = {
  id: 'cert-expiry',
  title: 'Member certificates expire while the cluster runs; new certificates from the same CA, members restarted one at a time',
  source: {
    runbook: 'runbooks.md §7 (closest: the certificate validity window); beyond the seeds (issue 4 point 5)',
    seed: 'beyond the seeds (issue 4); closest: seed 004 故障排查 (every seed cluster runs TLS, none covers expiry)',
  },
  proves:
    'after expiry established peer connections keep the cluster working, but new connections are refused (x509: certificate has expired) and a restarted member cannot rejoin; new certificates from the same CA and one-at-a-time restarts bring every member back with no acknowledged write lost',
  cluster: { tls: { validity: { lifetimeMs: LIFETIME_MS } } },
  sizes: [3],
  versions: ['3.4', '3.5'],
  prepare: [
    renewHarnessClientCertificate(),
    Steps.seedV3(20),
    Steps.startWorkload(),
    // Asked now: after expiry the harness cannot open a TLS connection to a member either (only its
    // pooled ones keep working, until they idle out), so it could not tell who the leader is.
    Steps.choose(Targets.followers(1), 'restarted'),
  ],
  assumptions: [Checks.assumeAckedWrites(20), validAtFault],
  fault: [
    waitForCertificateExpiry(),
    newClientConnection(
      OPERATOR,
      ['put', '/drill/after-expiry', 'x'],
      'etcdctl put, as the seeds call it (--cacert --cert --key)',
      'put-after-expiry',
      `${SOURCE} (a client making a new connection)`,
    ),
    Steps.etcdctl(
      OPERATOR,
      ['--insecure-skip-tls-verify', 'put', '/drill/after-expiry', 'x'],
      'etcdctl --insecure-skip-tls-verify put (every endpoint): do the peers still commit?',
      { source: SOURCE, saveAs: 'put-skip-verify', endpoints: 'all' },
    ),
    restartExpectingTlsRefusal(Targets.ref('restarted'), 'restarted', 'reconnect', `${SOURCE} (a restart forces new peer connections)`),
  ],
  runbook: [
    issueNewCertificates(`${SOURCE} (issue new certificates from the same CA)`),
    recordServedCertificates('served-before-restart', 'read the certificate each member presents, before any restart'),
    observeReadyWithoutRestart(),
    rollingRestart(() => ({}), 'restart the members one at a time, each healthy before the next', `${SOURCE} (restart one at a time)`),
    Steps.waitReady('recovery after new certificates'),
    Steps.etcdctl(OPERATOR, ['endpoint', 'health'], 'etcdctl endpoint health on every member', { endpoints: 'all', source: SOURCE }),
  ],
  checks: [
    // 3.5's etcdctl names the x509 error; 3.4's (older gRPC) says only `context deadline exceeded`
    // ("all SubConns are in TransientFailure"), and the member logs that it refused the handshake.
    Checks.observed('after expiry a new client connection is refused (x509: certificate has expired)', 'put-after-expiry', (v) => {
      const a = v as ClientAttempt;
      const r = a.result;
      const said = /x509: certificate has expired[^"\\]*/.exec(all(r))?.[0] ?? lastLine(r).slice(0, 160);
      const server = a.serverLog[0] ? `; the member logged: ${a.serverLog[0]}` : '';
      if (r.ok) return fail(`the put succeeded: ${r.stdout.trim()}`, a);
      return a.clientSaw === 'expired' || a.serverLog.length
        ? pass(`exit ${r.exitCode}: ${said}${server}`, a)
        : fail(`exit ${r.exitCode}: ${said}, and no refused handshake in the member's log`, a);
    }),
    saw('established peer connections survive expiry: a put still commits', 'put-skip-verify', (r) =>
      r.ok ? pass(`etcdctl --insecure-skip-tls-verify put: ${r.stdout.trim()}`) : fail(`exit ${r.exitCode}: ${lastLine(r).slice(0, 200)}`),
    ),
    Checks.observed('a restarted member cannot reconnect: x509 "certificate has expired" in the logs', 'reconnect', (v) => {
      const r = v as ReconnectAttempt;
      const expired = r.refusals.filter((x) => x.kind === 'expired');
      const bad = r.refusals.filter((x) => x.kind === 'bad certificate');
      const summary = `${r.restarted} restarted (${r.running ? 'running' : 'exited'}); within ${r.waitedMs} ms: ${expired.length} "certificate has expired" lines (${[...new Set(expired.map((x) => x.member))].join(', ')}), ${bad.length} "bad certificate" lines (${[...new Set(bad.map((x) => x.member))].join(', ')})`;
      return expired.length ? pass(`${summary}; e.g. ${expired[0]!.member}: ${expired[0]!.text.slice(0, 200)}`, r) : fail(summary, r);
    }),
    // etcd loads certificate files per handshake (its listener's GetCertificate), so the replaced files
    // are served before any restart; the runbook restarts anyway, as operators do.
    Checks.observed('replaced certificate files are served on new connections before any restart', 'served-before-restart', (v) => {
      const seen = v as ServedCertificate[];
      const line = seen.map(describeServed).join(', ');
      return seen.every((x) => x.validNow) ? pass(line, seen) : fail(line, seen);
    }),
    servedCertificatesValid(),
    commitsSkippingServerVerify(),
    Checks.membersHealthy(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'restart every member at once, still on the expired certificates',
    source: `${SOURCE} (the restart without new certificates)`,
    runbook: [restartAllAtOnce(`${SOURCE} (restart everything at once)`)],
    // No member keeps a connection to another, and no handshake succeeds: no leader, no member
    // answers, and each still presents the expired certificate.
    mustFail: [
      'a leader is elected and a put commits (etcdctl --insecure-skip-tls-verify)',
      'every member healthy',
      'every member serves a certificate valid now',
    ],
  },
};
