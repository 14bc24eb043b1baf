import { TIMING_PROFILES, type EtcdFlags, type ResolvedClusterSpec } from './cluster-spec.js';

/** Where each member keeps its data: a named volume at /var/lib/etcd, the data dir inside it. */
export const VOLUME_MOUNT = '/var/lib/etcd';
export const DATA_DIR = `${VOLUME_MOUNT}/data`;
/** A run-wide volume every member mounts: the "backup host" snapshots are saved to. */
export const BACKUP_MOUNT = '/backup';
export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;

export interface MemberAddress {
  name: string;
  ip: string;
}

export const clientUrl = (m: MemberAddress): string => `http://${m.ip}:${CLIENT_PORT}`;
export const peerUrl = (m: MemberAddress): string => `http://${m.ip}:${PEER_PORT}`;

/** `etcd-1=http://10.213.5.11:2380,...`, the value of `--initial-cluster`. */
export function initialCluster(members: readonly MemberAddress[]): string {
  return members.map((m) => `${m.name}=${peerUrl(m)}`).join(',');
}

/** The flags a member boots with on first start: one place, so every restart can diff against it. */
export function bootstrapFlags(spec: ResolvedClusterSpec, self: MemberAddress, all: readonly MemberAddress[], token: string): EtcdFlags {
  return {
    name: self.name,
    'data-dir': DATA_DIR,
    'listen-client-urls': `http://0.0.0.0:${CLIENT_PORT}`,
    'advertise-client-urls': clientUrl(self),
    'listen-peer-urls': `http://0.0.0.0:${PEER_PORT}`,
    'initial-advertise-peer-urls': peerUrl(self),
    'initial-cluster': initialCluster(all),
    'initial-cluster-token': token,
    'initial-cluster-state': 'new',
    ...(spec.enableV2 ? { 'enable-v2': true } : {}),
    ...TIMING_PROFILES[spec.timing],
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
