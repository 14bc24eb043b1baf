import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeClusterPki } from '../../src/tls/certificates.js';

const members = [
  { name: 'etcd-1', ip: '10.213.5.11' },
  { name: 'etcd-2', ip: '10.213.5.12' },
];

describe('makeClusterPki', () => {
  it('issues member certificates whose SANs are the member IP and name, signed by the CA, for server and client use', async () => {
    const pki = await makeClusterPki(members);
    const ca = new X509Certificate(pki.ca.cert);
    const leaf = new X509Certificate(pki.members['etcd-1']!.cert);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP('10.213.5.11')).toBe('10.213.5.11');
    expect(leaf.checkIP('10.213.5.12')).toBeUndefined();
    expect(leaf.checkHost('etcd-1')).toBe('etcd-1');
    expect(leaf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(pki.members['etcd-1']!.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate(pki.client.cert).verify(ca.publicKey)).toBe(true);
  });

  it('honours the validity window, so scenarios can make expired or not-yet-valid certificates', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const pki = await makeClusterPki(members, { notBefore, lifetimeMs: 60_000 });
    const leaf = new x509.X509Certificate(pki.members['etcd-2']!.cert);
    expect(leaf.notBefore.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(60_000);
  });
});
