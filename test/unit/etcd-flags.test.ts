import { describe, it, expect } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '../../src/cluster/cluster-spec.js';
import {
  BACKUP_MOUNT,
  CLIENT_PORT,
  DATA_DIR,
  PEER_PORT,
  VOLUME_MOUNT,
  bootstrapFlags,
  clientUrl,
  initialCluster,
  mergeFlags,
  peerUrl,
  renderFlags,
  type MemberAddress,
} from '../../src/cluster/etcd-flags.js';

const members: MemberAddress[] = [
  { name: 'etcd-1', ip: '10.213.5.11' },
  { name: 'etcd-2', ip: '10.213.5.12' },
  { name: 'etcd-3', ip: '10.213.5.13' },
];
const self = members[1]!;

const flagsFor = (spec: ClusterSpec = {}, token = 'firedrill-test'): ReturnType<typeof bootstrapFlags> =>
  bootstrapFlags(resolveClusterSpec(spec), self, members, token);

describe('constants and URLs', () => {
  it('keeps the data dir inside the volume mount', () => {
    expect(VOLUME_MOUNT).toBe('/var/lib/etcd');
    expect(DATA_DIR).toBe('/var/lib/etcd/data');
    expect(BACKUP_MOUNT).toBe('/backup');
    expect(CLIENT_PORT).toBe(2379);
    expect(PEER_PORT).toBe(2380);
  });

  it('builds client and peer URLs from the member IP', () => {
    expect(clientUrl(self)).toBe('http://10.213.5.12:2379');
    expect(peerUrl(self)).toBe('http://10.213.5.12:2380');
  });

  it('initialCluster lists every member with its peer URL, in order', () => {
    expect(initialCluster(members)).toBe('etcd-1=http://10.213.5.11:2380,etcd-2=http://10.213.5.12:2380,etcd-3=http://10.213.5.13:2380');
    expect(initialCluster([members[0]!])).toBe('etcd-1=http://10.213.5.11:2380');
    expect(initialCluster([])).toBe('');
  });
});

describe('bootstrapFlags', () => {
  it('names the member, its data dir and its advertised URLs', () => {
    const f = flagsFor();
    expect(f.name).toBe('etcd-2');
    expect(f['data-dir']).toBe(DATA_DIR);
    expect(f['listen-client-urls']).toBe('http://0.0.0.0:2379');
    expect(f['listen-peer-urls']).toBe('http://0.0.0.0:2380');
    expect(f['advertise-client-urls']).toBe('http://10.213.5.12:2379');
    expect(f['initial-advertise-peer-urls']).toBe('http://10.213.5.12:2380');
  });

  it('lists all members in initial-cluster, with the token and state new', () => {
    const f = flagsFor({}, 'firedrill-20261121-115432-a1b2');
    expect(f['initial-cluster']).toBe(initialCluster(members));
    for (const m of members) expect(String(f['initial-cluster'])).toContain(`${m.name}=http://${m.ip}:2380`);
    expect(f['initial-cluster-token']).toBe('firedrill-20261121-115432-a1b2');
    expect(f['initial-cluster-state']).toBe('new');
  });

  it('sets enable-v2 when enabled (the default)', () => {
    expect(flagsFor()['enable-v2']).toBe(true);
    expect(flagsFor({ enableV2: true })['enable-v2']).toBe(true);
  });

  it('leaves enable-v2 out entirely when disabled', () => {
    const f = flagsFor({ enableV2: false });
    expect(Object.hasOwn(f, 'enable-v2')).toBe(false);
    expect(renderFlags(f).some((s) => s.startsWith('--enable-v2'))).toBe(false);
  });

  it('uses the production timing profile by default', () => {
    const f = flagsFor();
    expect(f['heartbeat-interval']).toBe(100);
    expect(f['election-timeout']).toBe(1000);
  });

  it('uses the fast timing profile when asked', () => {
    const f = flagsFor({ timing: 'fast' });
    expect(f['heartbeat-interval']).toBe(10);
    expect(f['election-timeout']).toBe(100);
  });

  it('lets spec.flags add flags and override defaults and timing', () => {
    const f = flagsFor({
      timing: 'fast',
      flags: { 'quota-backend-bytes': 16777216, 'election-timeout': 2500, 'initial-cluster-state': 'existing' },
    });
    expect(f['quota-backend-bytes']).toBe(16777216);
    expect(f['election-timeout']).toBe(2500);
    expect(f['heartbeat-interval']).toBe(10);
    expect(f['initial-cluster-state']).toBe('existing');
  });

  it('a null in spec.flags suppresses the default when rendered', () => {
    const f = flagsFor({ flags: { 'enable-v2': null } });
    expect(renderFlags(f).some((s) => s.startsWith('--enable-v2'))).toBe(false);
    expect(Object.hasOwn(mergeFlags(f), 'enable-v2')).toBe(false);
  });

  it('does not depend on spec.token: the token argument wins', () => {
    const f = bootstrapFlags(resolveClusterSpec({ token: 'from-spec' }), self, members, 'from-arg');
    expect(f['initial-cluster-token']).toBe('from-arg');
  });
});

describe('mergeFlags', () => {
  it('adds and overrides flags without touching the base', () => {
    const base = { a: 1, b: 'x', c: true };
    const out = mergeFlags(base, { b: 'y', d: false });
    expect(out).toEqual({ a: 1, b: 'y', c: true, d: false });
    expect(base).toEqual({ a: 1, b: 'x', c: true });
  });

  it('removes a flag overridden with null', () => {
    const out = mergeFlags({ a: 1, 'enable-v2': true }, { 'enable-v2': null });
    expect(out).toEqual({ a: 1 });
    expect(Object.hasOwn(out, 'enable-v2')).toBe(false);
  });

  it('removes nulls already in the base, and a null for a missing flag is a no-op', () => {
    expect(mergeFlags({ a: null, b: 2 }, { c: null })).toEqual({ b: 2 });
  });

  it('defaults overrides to none', () => {
    expect(mergeFlags({ a: 1 })).toEqual({ a: 1 });
  });

  it('keeps falsy non-null values (false, 0, empty string)', () => {
    expect(mergeFlags({}, { a: false, b: 0, c: '' })).toEqual({ a: false, b: 0, c: '' });
  });
});

describe('renderFlags', () => {
  it('renders --k=v in insertion order', () => {
    expect(renderFlags({ name: 'etcd-1', 'heartbeat-interval': 100, 'data-dir': '/var/lib/etcd/data' })).toEqual([
      '--name=etcd-1',
      '--heartbeat-interval=100',
      '--data-dir=/var/lib/etcd/data',
    ]);
  });

  it('renders booleans as --k=true / --k=false', () => {
    expect(renderFlags({ 'force-new-cluster': true, 'enable-v2': false })).toEqual(['--force-new-cluster=true', '--enable-v2=false']);
  });

  it('skips nulls', () => {
    expect(renderFlags({ a: 1, b: null, c: 'x' })).toEqual(['--a=1', '--c=x']);
  });

  it('renders nothing for no flags', () => {
    expect(renderFlags({})).toEqual([]);
  });

  it('renders a whole bootstrap flag set, one argument per flag', () => {
    const f = flagsFor();
    const argv = renderFlags(f);
    expect(argv).toHaveLength(Object.keys(f).length);
    expect(argv).toContain('--name=etcd-2');
    expect(argv).toContain('--enable-v2=true');
    expect(argv).toContain(`--initial-cluster=${initialCluster(members)}`);
    for (const a of argv) expect(a).toMatch(/^--[a-z0-9-]+=\S*$/);
  });
});

describe('TLS flags', () => {
  it('a TLS member listens and advertises https, with its own certificate and client-cert auth on both ports', async () => {
    const { resolveClusterSpec } = await import('../../src/cluster/cluster-spec.js');
    const { bootstrapFlags, clientUrl, peerUrl, etcdctlTlsFlags, PKI_MOUNT } = await import('../../src/cluster/etcd-flags.js');
    const spec = resolveClusterSpec({ members: 3, version: '3.5', tls: true });
    expect(spec.tls).toEqual({});
    const self = { name: 'etcd-2', ip: '10.213.5.12', tls: true };
    const flags = bootstrapFlags(spec, self, [self], 'tok');
    expect(flags['listen-client-urls']).toBe('https://0.0.0.0:2379');
    expect(flags['advertise-client-urls']).toBe('https://10.213.5.12:2379');
    expect(flags['initial-advertise-peer-urls']).toBe('https://10.213.5.12:2380');
    expect(flags['initial-cluster']).toBe('etcd-2=https://10.213.5.12:2380');
    expect(flags).toMatchObject({
      'cert-file': `${PKI_MOUNT}/etcd-2.crt`,
      'key-file': `${PKI_MOUNT}/etcd-2.key`,
      'trusted-ca-file': `${PKI_MOUNT}/ca.crt`,
      'client-cert-auth': true,
      'peer-client-cert-auth': true,
    });
    expect(clientUrl({ name: 'x', ip: '1.2.3.4' })).toBe('http://1.2.3.4:2379');
    expect(peerUrl({ name: 'x', ip: '1.2.3.4', tls: true })).toBe('https://1.2.3.4:2380');
    expect(etcdctlTlsFlags(3)).toEqual([`--cacert=${PKI_MOUNT}/ca.crt`, `--cert=${PKI_MOUNT}/client.crt`, `--key=${PKI_MOUNT}/client.key`]);
    expect(etcdctlTlsFlags(2)[0]).toBe(`--ca-file=${PKI_MOUNT}/ca.crt`);
  });
  it('a plain spec has no TLS', async () => {
    const { resolveClusterSpec } = await import('../../src/cluster/cluster-spec.js');
    expect(resolveClusterSpec({}).tls).toBeUndefined();
    expect(resolveClusterSpec({ tls: false }).tls).toBeUndefined();
  });
});
