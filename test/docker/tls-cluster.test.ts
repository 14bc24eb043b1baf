import { describe, expect, it } from 'vitest';
import { startCluster } from '../../src/cluster/start-cluster.js';

describe.each(['3.4', '3.5'])('etcd %s with TLS', (version) => {
  it('serves only https with client certificates; etcdctl runs as the seeds write it; host clients use TLS', async () => {
    await using cluster = await startCluster({ members: 3, version, tls: true });
    const m = cluster.member(1);
    expect(m.clientUrl).toMatch(/^https:\/\//);
    const put = await m.etcdctl(['put', '/tls/k', 'v']);
    expect(put.command).toContain('--cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/client.crt --key=/etc/etcd/pki/client.key');
    expect(put.stdout.trim()).toBe('OK');
    expect((await m.etcdctl(['set', '/tls/v2', 'x'], { api: 2 })).exitCode).toBe(0);
    expect(await cluster.member(2).client().get('/tls/k').string()).toBe('v');
    // Without a client certificate etcd refuses the client; plain HTTP gets nowhere.
    const noCert = await m.exec([
      'etcdctl',
      `--endpoints=${m.clientUrl}`,
      '--cacert=/etc/etcd/pki/ca.crt',
      '--command-timeout=2s',
      'get',
      '/tls/k',
    ]);
    expect(noCert.ok).toBe(false);
    await expect(fetch(`http://${m.ip}:2379/health`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    // Peers talk mTLS too: the member list shows https peer URLs.
    expect((await m.etcdctl(['member', 'list'])).stdout).toMatch(/https:\/\/10\.213\.\d+\.12:2380/);
    // Certificates are mounted read-only.
    expect((await m.sh('touch /etc/etcd/pki/x')).ok).toBe(false);
  });
});
