import 'reflect-metadata'; // @peculiar/x509 needs it loaded before it
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** When certificates are valid: part of the spec, so a scenario can make expired or future ones. */
export interface Validity {
  /** Default: one hour ago (tolerates small clock differences). */
  notBefore?: Date;
  /** Default: one year. */
  lifetimeMs?: number;
}

export interface PemPair {
  cert: string;
  key: string;
}

/** Everything a TLS cluster needs: a CA, one certificate per member, one for clients (etcdctl, harness). */
export interface ClusterPki {
  ca: PemPair;
  members: Record<string, PemPair>;
  client: PemPair;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR = 3_600_000;

function window(v: Validity = {}): { notBefore: Date; notAfter: Date } {
  const notBefore = v.notBefore ?? new Date(Date.now() - HOUR);
  return { notBefore, notAfter: new Date(notBefore.getTime() + (v.lifetimeMs ?? 365 * 24 * HOUR)) };
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pemKey(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

const serial = (): string =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');

interface Ca {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function makeCa(validity?: Validity): Promise<Ca> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=etcd-firedrill CA',
    ...window(validity),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

/** A leaf certificate for both server and client use (etcd peers are both). */
async function issue(ca: Ca, subject: string, sans: { ips: string[]; dns: string[] }, validity?: Validity): Promise<PemPair> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    ...window(validity),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...sans.ips.map((value) => ({ type: 'ip' as const, value })),
        ...sans.dns.map((value) => ({ type: 'dns' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(keys) };
}

/**
 * A CA and its certificates for a cluster: each member's SANs are its IP, its name and localhost
 * (etcdctl inside a member may dial 127.0.0.1); the client certificate is for etcdctl and the harness.
 * `validity` applies to the member and client certificates (the CA is always valid now).
 */
export async function makeClusterPki(
  members: ReadonlyArray<{ name: string; ip: string }>,
  validity?: Validity,
  ca?: Ca,
): Promise<ClusterPki & { caHandle: Ca }> {
  const authority = ca ?? (await makeCa());
  const issued = await Promise.all(
    members.map(
      async (m) =>
        [m.name, await issue(authority, `CN=${m.name}`, { ips: [m.ip, '127.0.0.1'], dns: [m.name, 'localhost'] }, validity)] as const,
    ),
  );
  return {
    ca: { cert: authority.cert.toString('pem'), key: await pemKey(authority.keys) },
    members: Object.fromEntries(issued),
    // No CommonName on purpose: with auth on, etcd takes a client certificate's CN as the user name,
    // and its HTTP gateway refuses every request whose certificate carries one (measured:
    // "CommonName of client sending a request against gateway will be ignored"). Clients prove
    // who they are by password; the certificate only opens the TLS connection.
    client: await issue(authority, 'O=etcd-firedrill client', { ips: ['127.0.0.1'], dns: ['firedrill-client'] }, validity),
    caHandle: authority,
  };
}
