import { describe, expect, it } from 'vitest';
import { makeClusterPki } from '../../src/tls/certificates.js';
import { expiresAt, firstExpiry, tlsRefusal } from '../../src/tls/cert-expiry.js';

describe('certificate expiry', () => {
  it('reads notAfter from a certificate made with a validity window (second precision)', async () => {
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const pki = await makeClusterPki([{ name: 'etcd-1', ip: '10.213.1.11' }], { notBefore, lifetimeMs: 20_000 });
    expect(expiresAt(pki.members['etcd-1']!.cert).toISOString()).toBe('2030-01-01T00:00:20.000Z');
    expect(expiresAt(pki.client.cert).toISOString()).toBe('2030-01-01T00:00:20.000Z');
  });
  it('takes the earliest expiry of several', async () => {
    const a = await makeClusterPki([{ name: 'a', ip: '10.0.0.1' }], { notBefore: new Date('2030-01-01T00:00:00Z'), lifetimeMs: 60_000 });
    const b = await makeClusterPki([{ name: 'b', ip: '10.0.0.2' }], { notBefore: new Date('2030-01-01T00:00:00Z'), lifetimeMs: 30_000 });
    expect(firstExpiry([a.members.a!.cert, b.members.b!.cert]).toISOString()).toBe('2030-01-01T00:00:30.000Z');
    expect(() => firstExpiry([])).toThrow(/no certificates/);
  });
});

describe('TLS refusals in logs, matched by meaning on 3.4 and 3.5', () => {
  it('finds the x509 expiry on the verifying side', () => {
    // 3.4 capnslog and 3.5 zap, as parsed into LogLine.text
    expect(
      tlsRefusal(
        'failed to dial 71b7aba671b32c05 on stream Message (x509: certificate has expired or is not yet valid: current time 2026-12-01T08:43:33Z is after 2026-12-01T08:43:30Z)',
      ),
    ).toBe('expired');
    expect(
      tlsRefusal(
        'peer became inactive (message send to peer failed) peer-id=99ec823dcb9e41f6 error=failed to dial 99ec823dcb9e41f6 on stream MsgApp v2 (tls: failed to verify certificate: x509: certificate has expired or is not yet valid: …)',
      ),
    ).toBe('expired');
    expect(tlsRefusal('remote error: tls: expired certificate')).toBe('expired');
  });
  it('finds the refused handshake on the other side', () => {
    expect(tlsRefusal('rejected connection from "10.213.65.11:35576" (error "remote error: tls: bad certificate", ServerName "")')).toBe(
      'bad certificate',
    );
    expect(
      tlsRefusal(
        'rejected connection on peer endpoint remote-addr=10.213.238.11:43728 server-name= error=remote error: tls: bad certificate',
      ),
    ).toBe('bad certificate');
  });
  it('ignores everything else', () => {
    expect(tlsRefusal('starting with peer TLS tls-info=cert = /etc/etcd/pki/etcd-2.crt')).toBeUndefined();
    expect(tlsRefusal('Error: context deadline exceeded')).toBeUndefined();
  });
});
