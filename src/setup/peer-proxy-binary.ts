import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../run/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The proxy's source, ours (see the comment at its top). */
export const PEER_PROXY_SOURCE = join(ROOT, 'docker', 'peer-proxy', 'peer-proxy.c');
const CACHE = join(ROOT, '.cache');
const GCC_PATHS = ['/usr/bin/gcc', '/usr/local/bin/gcc', '/bin/gcc'];

/** The built binary's path: named after the source's hash, so an edited source is rebuilt. */
export function peerProxyPath(): string {
  const hash = createHash('sha256').update(readFileSync(PEER_PROXY_SOURCE)).digest('hex').slice(0, 12);
  return join(CACHE, `peer-proxy-${hash}`);
}

/**
 * Builds the peer proxy when it is missing (gcc -static, about 1 s; static, so it runs inside any
 * etcd image of this machine's architecture); returns its path. Throws EnvironmentError when it cannot.
 */
export function ensurePeerProxyBinary(): string {
  const out = peerProxyPath();
  if (existsSync(out)) return out;
  const gcc = GCC_PATHS.find((p) => existsSync(p));
  if (!gcc)
    throw new EnvironmentError('peerProxy needs gcc to build the peer proxy', 'apt-get install gcc libc6-dev, or run without peerProxy');
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(gcc, ['-static', '-O2', '-Wall', '-pthread', '-o', tmp, PEER_PROXY_SOURCE], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = String((e as { stderr?: Buffer }).stderr ?? e)
      .trim()
      .split('\n')
      .slice(-1)[0];
    throw new EnvironmentError(
      `gcc -static could not build ${PEER_PROXY_SOURCE}: ${err}`,
      'install the static C library (apt-get install libc6-dev)',
    );
  }
  renameSync(tmp, out); // atomic: two processes building at once both end with a whole file
  return out;
}
