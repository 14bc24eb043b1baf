import { X509Certificate } from 'node:crypto';

/** When a PEM certificate stops being valid (its notAfter). */
export function expiresAt(pem: string): Date {
  return new Date(new X509Certificate(pem).validTo);
}

/** The earliest notAfter among these PEM certificates: when the first of them expires. */
export function firstExpiry(pems: readonly string[]): Date {
  if (pems.length === 0) throw new Error('no certificates to look at');
  return new Date(Math.min(...pems.map((p) => expiresAt(p).getTime())));
}

/**
 * How a TLS handshake with an expired certificate shows up in a member's log or in etcdctl's error,
 * on 3.4 and 3.5 alike: the side that verifies says `x509: certificate has expired or is not yet
 * valid` (Go's crypto/x509), the side whose certificate was refused logs `remote error: tls: bad
 * certificate` (newer Go stacks say `expired certificate`). Matched by meaning, never by log format.
 */
export type TlsRefusal = 'expired' | 'bad certificate';

export function tlsRefusal(text: string): TlsRefusal | undefined {
  if (/certificate has expired|expired certificate/.test(text)) return 'expired';
  if (/bad certificate/.test(text)) return 'bad certificate';
  return undefined;
}
