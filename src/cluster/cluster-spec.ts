import { randomBytes } from 'node:crypto';
import { ETCD_VERSIONS, imageTag, isEtcdVersion, type EtcdVersion } from '../../docker/etcd-versions.js';
import { InputError } from '../run/errors.js';
import type { Validity } from '../tls/certificates.js';

/** etcd command-line flags without the leading dashes; `null` removes a default flag. */
export type EtcdFlags = Record<string, string | number | boolean | null>;

/**
 * Raft timings. `production` is etcd's default (100 ms heartbeat, 1 s election timeout), what the
 * runbooks meet in real life; `fast` shortens both tenfold so exploration runs spend less time
 * waiting for elections.
 */
export const TIMING_PROFILES = {
  production: { 'heartbeat-interval': 100, 'election-timeout': 1000 },
  fast: { 'heartbeat-interval': 10, 'election-timeout': 100 },
} as const;
export type TimingProfile = keyof typeof TIMING_PROFILES;

export const MIN_MEMBERS = 1;
export const MAX_MEMBERS = 7;

/** What the user asks for: plain data, every field optional. */
export interface ClusterSpec {
  /** 1-7, default 3. */
  members?: number;
  /** `3.4` or `3.5` (images built locally); default 3.5. Ignored when `image` is set. */
  version?: string;
  /** Any local image holding etcd and etcdctl on PATH (e.g. an official etcd image). */
  image?: string;
  /** Extra etcd flags for every member, e.g. `{ 'quota-backend-bytes': 16777216 }`. */
  flags?: EtcdFlags;
  /** Start etcd with `--enable-v2=true` so the v2 API exists (default true). */
  enableV2?: boolean;
  timing?: TimingProfile;
  /** `--initial-cluster-token`; default `firedrill-<runId>`. */
  token?: string;
  /**
   * TLS everywhere: client and peer URLs are https, with client-certificate auth on both
   * (`--client-cert-auth`, `--peer-client-cert-auth`). `validity` sets the certificates' window.
   */
  tls?: boolean | { validity?: Validity };
  /**
   * Password auth, enabled after bootstrap as the seeds do it (user add root, role add root, user
   * grant-role root root, auth enable); etcdctl steps then pass `--user root:<password>`. The password
   * is random per run unless given, and masked in every command and output the harness records.
   */
  auth?: boolean | { password?: string };
  /**
   * Members whose etcd runs with its wall clock moved from its very first start, e.g.
   * `{ 'etcd-2': '+3s' }` (ms or a duration): etcd runs under the clock-skew launcher
   * (src/clock/member-clock.ts), x86_64 only. With TLS, a skew outside the certificates' window
   * means that member never joins, so the cluster never becomes ready.
   */
  clockSkew?: Record<string, number | string>;
  /**
   * Put a small TCP proxy in front of every member's peer port (inside the member's container) and
   * advertise the proxy's port, so delay faults can slow raft traffic without netem
   * (src/faults/peer-proxy.ts). Off by default: the proxy is one more hop.
   */
  peerProxy?: boolean;
}

/** A validated spec with every default filled in. */
export interface ResolvedClusterSpec {
  members: number;
  /** `3.4`, `3.5`, or `custom` when an image was named. */
  version: EtcdVersion | 'custom';
  image: string;
  /** True when the image is one of ours (busybox shell, etcdutl on 3.5). */
  builtImage: boolean;
  flags: EtcdFlags;
  enableV2: boolean;
  timing: TimingProfile;
  token?: string;
  tls?: { validity?: Validity };
  auth?: { user: 'root'; password: string };
  peerProxy: boolean;
}

/** Validates a spec; throws InputError naming the bad value and the fix. */
export function resolveClusterSpec(spec: ClusterSpec = {}): ResolvedClusterSpec {
  const members = spec.members ?? 3;
  if (!Number.isInteger(members) || members < MIN_MEMBERS || members > MAX_MEMBERS) {
    throw new InputError(
      `cluster size ${String(members)} is not possible`,
      `use --members ${MIN_MEMBERS}-${MAX_MEMBERS} (etcd clusters are usually 3 or 5)`,
    );
  }
  const timing = spec.timing ?? 'production';
  if (!Object.hasOwn(TIMING_PROFILES, timing)) {
    throw new InputError(`unknown timing profile "${String(timing)}"`, `use one of: ${Object.keys(TIMING_PROFILES).join(', ')}`);
  }
  const tls = spec.tls === true ? {} : spec.tls || undefined;
  const auth = spec.auth
    ? { user: 'root' as const, password: (spec.auth === true ? undefined : spec.auth.password) ?? randomBytes(12).toString('base64url') }
    : undefined;
  const common = {
    members,
    flags: spec.flags ?? {},
    enableV2: spec.enableV2 ?? true,
    timing,
    token: spec.token,
    tls,
    auth,
    peerProxy: spec.peerProxy ?? false,
  };
  if (spec.image) return { ...common, version: 'custom', image: spec.image, builtImage: false };
  const version = spec.version ?? '3.5';
  if (!isEtcdVersion(version)) {
    const known = Object.entries(ETCD_VERSIONS).map(([k, v]) => `${k} (${v.etcd})`);
    throw new InputError(`unknown etcd version "${version}"`, `use --version ${known.join(' or ')}, or --image <local image>`);
  }
  return { ...common, version, image: imageTag(version), builtImage: true };
}

/** The cluster's `--quota-backend-bytes`, or undefined when it runs with etcd's default. */
export function backendQuota(spec: Pick<ResolvedClusterSpec, 'flags'>): number | undefined {
  const q = Number(spec.flags['quota-backend-bytes'] ?? 0);
  return q > 0 ? q : undefined;
}
