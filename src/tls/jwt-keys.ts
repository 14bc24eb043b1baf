import { generateKeyPairSync } from 'node:crypto';
import { BACKUP_MOUNT } from '../cluster/etcd-flags.js';
import { writeVolume } from './write-volume.js';

/** Where members find the JWT signing keys: every member mounts the run's labelled backup volume. */
export const JWT_DIR = `${BACKUP_MOUNT}/jwt`;
export const JWT_PUB = `${JWT_DIR}/jwt.pub`;
export const JWT_KEY = `${JWT_DIR}/jwt.key`;

/** `--auth-token` for JWT tokens signed with RS256 by the keys in JWT_DIR (ground-truth.md §9). */
export const JWT_AUTH_TOKEN_FLAG = `jwt,pub-key=${JWT_PUB},priv-key=${JWT_KEY},sign-method=RS256,ttl=10m`;

/** An RSA key pair in PEM (SPKI public, PKCS#8 private), as `openssl genrsa` + `rsa -pubout` would make. */
export function makeJwtKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Writes the JWT key pair into the run's backup volume (mounted at /backup in every member; see
 * writeVolume). The private key is readable by root only and never passes through a step log.
 */
export async function writeJwtKeys(runId: string, image: string, volume: string): Promise<void> {
  const keys = makeJwtKeyPair();
  await writeVolume(runId, image, volume, BACKUP_MOUNT, [
    { name: 'jwt', mode: 0o700 },
    { name: 'jwt/jwt.pub', content: keys.publicKey, mode: 0o644 },
    { name: 'jwt/jwt.key', content: keys.privateKey, mode: 0o600 },
  ]);
}
