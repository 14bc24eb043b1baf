/**
 * The etcd versions the harness builds, pinned by upstream version. Each comes from Debian's own
 * package in the named suite; the image tag carries the version and the recipe revision, so an
 * image is rebuilt only when one of them changes.
 */
export const ETCD_VERSIONS = {
  '3.4': { etcd: '3.4.23', suite: 'bookworm' },
  '3.5': { etcd: '3.5.16', suite: 'trixie' },
} as const;

export type EtcdVersion = keyof typeof ETCD_VERSIONS;

/** Bump when the image recipe (docker/build-image.ts) changes in a way that needs a rebuild. */
export const RECIPE_REVISION = 'r2';

export function isEtcdVersion(v: string): v is EtcdVersion {
  return Object.hasOwn(ETCD_VERSIONS, v);
}

/** `etcd-firedrill/etcd:3.4.23-r1`; FIREDRILL_IMAGE_REPOSITORY renames the repository part. */
export function imageTag(v: EtcdVersion): string {
  const repo = process.env.FIREDRILL_IMAGE_REPOSITORY ?? 'etcd-firedrill/etcd';
  return `${repo}:${ETCD_VERSIONS[v].etcd}-${RECIPE_REVISION}`;
}
