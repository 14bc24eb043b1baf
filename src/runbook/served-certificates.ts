import { connect } from 'node:tls';
import { PEER_PORT } from '../cluster/etcd-flags.js';
import type { Member } from '../cluster/member.js';
import type { StartedCluster } from '../cluster/started-cluster.js';
import { fail, pass } from '../checks/verdict.js';
import type { Check, Step } from '../run/scenario.js';

/** What one member presents on its peer port now: until when it is valid, or why no handshake happened. */
export interface ServedCertificate {
  member: string;
  validTo?: string;
  error?: string;
  validNow: boolean;
}

/** The certificate a member presents on its peer port, as a peer dialling it sees it. */
export function servedCertificate(cluster: StartedCluster, m: Member, timeoutMs = 3000): Promise<{ validTo: Date; validNow: boolean }> {
  const tls = cluster.clientTls!;
  return new Promise((resolve, reject) => {
    // Verification off on purpose: the point is to read the certificate, expired or not.
    const socket = connect({ host: m.ip, port: PEER_PORT, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS handshake with ${m.name}:${PEER_PORT} in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const validTo = new Date(socket.getPeerCertificate().valid_to);
      socket.destroy();
      resolve({ validTo, validNow: validTo.getTime() > Date.now() });
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Every member's served certificate, read at once. */
async function servedCertificates(cluster: StartedCluster): Promise<ServedCertificate[]> {
  return Promise.all(
    cluster.members.map(async (m) => {
      const c = await servedCertificate(cluster, m).catch((e: Error) => e);
      return c instanceof Error
        ? { member: m.name, error: c.message, validNow: false }
        : { member: m.name, validTo: c.validTo.toISOString(), validNow: c.validNow };
    }),
  );
}

/** `etcd-1 until 2027-…` or `etcd-1 <why no handshake>`: for notes and verdicts. */
export const describeServed = (x: ServedCertificate): string => `${x.member} ${x.validTo ? `until ${x.validTo}` : x.error}`;

/**
 * Reads the certificate each member presents now, without restarting anything, and saves
 * `{ member, validTo, validNow }[]` as `saveAs`: shows whether etcd picks up replaced files on new
 * connections by itself.
 */
export function recordServedCertificates(saveAs: string, title: string): Step {
  return {
    name: title,
    async run(ctx) {
      const seen = await servedCertificates(ctx.cluster);
      ctx.vars.set(saveAs, seen);
      ctx.note(seen.map(describeServed).join(', '));
    },
  };
}

/** Live: every member presents a certificate that is valid now. */
export function servedCertificatesValid(): Check {
  return {
    name: 'every member serves a certificate valid now',
    async run(ctx) {
      const seen = await servedCertificates(ctx.cluster);
      const bad = seen.filter((s) => !s.validNow);
      const line = seen.map(describeServed).join(', ');
      return bad.length ? fail(`${bad.map((s) => s.member).join(', ')} not valid now: ${line}`) : pass(line);
    },
  };
}
