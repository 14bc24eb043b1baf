import { TIMING_PROFILES, type EtcdFlags, type ResolvedClusterSpec } from './cluster-spec.js';

/** Where each member keeps its data: a named volume at /var/lib/etcd, the data dir inside it. */
export const VOLUME_MOUNT = '/var/lib/etcd';
export const DATA_DIR = `${VOLUME_MOUNT}/data`;
/** A run-wide volume every member mounts: the "backup host" snapshots are saved to. */
export const BACKUP_MOUNT = '/backup';
/** Where the run's certificates are mounted in every member (a labelled volume, read-only). */
export const PKI_MOUNT = '/etc/etcd/pki';
export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;
/** Where a member's peer proxy listens (ClusterSpec.peerProxy); it forwards to 127.0.0.1:2380. */
export const PEER_PROXY_PORT = 2381;

export interface MemberAddress {
  name: string;
  ip: string;
  /** https URLs when the cluster runs TLS */
  tls?: boolean;
  /** The port peers dial: 2380, or the peer proxy's (ClusterSpec.peerProxy). */
  peerPort?: number;
}

const scheme = (m: MemberAddress): string => (m.tls ? 'https' : 'http');
export const clientUrl = (m: MemberAddress): string => `${scheme(m)}://${m.ip}:${CLIENT_PORT}`;
export const peerUrl = (m: MemberAddress): string => `${scheme(m)}://${m.ip}:${m.peerPort ?? PEER_PORT}`;

/** etcd's TLS flags for a member: its own certificate for both ports, the run's CA, client-cert auth. */
function tlsFlags(name: string): EtcdFlags {
  return {
    'cert-file': `${PKI_MOUNT}/${name}.crt`,
    'key-file': `${PKI_MOUNT}/${name}.key`,
    'trusted-ca-file': `${PKI_MOUNT}/ca.crt`,
    'client-cert-auth': true,
    'peer-cert-file': `${PKI_MOUNT}/${name}.crt`,
    'peer-key-file': `${PKI_MOUNT}/${name}.key`,
    'peer-trusted-ca-file': `${PKI_MOUNT}/ca.crt`,
    'peer-client-cert-auth': true,
  };
}

/** etcdctl's TLS flags, as the seeds write them (`--cacert --cert --key`); the v2 API spells them otherwise. */
export function etcdctlTlsFlags(api: 2 | 3): string[] {
  return api === 3
    ? [`--cacert=${PKI_MOUNT}/ca.crt`, `--cert=${PKI_MOUNT}/client.crt`, `--key=${PKI_MOUNT}/client.key`]
    : [`--ca-file=${PKI_MOUNT}/ca.crt`, `--cert-file=${PKI_MOUNT}/client.crt`, `--key-file=${PKI_MOUNT}/client.key`];
}

/** `etcd-1=http://10.213.5.11:2380,...`, the value of `--initial-cluster`. */
export function initialCluster(members: readonly MemberAddress[]): string {
  return members.map((m) => `${m.name}=${peerUrl(m)}`).join(',');
}

/** The flags a member boots with on first start: one place, so every restart can diff against it. */
export function bootstrapFlags(spec: ResolvedClusterSpec, self: MemberAddress, all: readonly MemberAddress[], token: string): EtcdFlags {
  const any = { name: self.name, ip: '0.0.0.0', tls: self.tls };
  return {
    name: self.name,
    'data-dir': DATA_DIR,
    'listen-client-urls': clientUrl(any),
    'advertise-client-urls': clientUrl(self),
    'listen-peer-urls': peerUrl(any),
    'initial-advertise-peer-urls': peerUrl(self),
    'initial-cluster': initialCluster(all),
    'initial-cluster-token': token,
    'initial-cluster-state': 'new',
    ...(spec.enableV2 ? { 'enable-v2': true } : {}),
    ...TIMING_PROFILES[spec.timing],
    ...(self.tls ? tlsFlags(self.name) : {}),
    ...spec.flags,
  };
}

/** Merges overrides into flags; a `null` override removes the flag. */
export function mergeFlags(base: EtcdFlags, overrides: EtcdFlags = {}): EtcdFlags {
  const out: EtcdFlags = { ...base, ...overrides };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** `{ 'force-new-cluster': true }` → `['--force-new-cluster=true']`, in a stable order. */
export function renderFlags(flags: EtcdFlags): string[] {
  return Object.entries(flags)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `--${k}=${String(v)}`);
}

/** ` with --a=b --c=d` for step names (empty without flags): how an operator would write the unit file change. */
export function withFlags(flags?: EtcdFlags): string {
  return flags ? ` with ${renderFlags(flags).join(' ')}` : '';
}
