import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../run/errors.js';
import type { CheckLine } from './docker-engine.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The helper's source, ours (see the comment at its top for the technique). */
export const CLOCK_HELPER_SOURCE = join(ROOT, 'docker', 'clock-skew', 'clockskew.c');
const CACHE = join(ROOT, '.cache');
const GCC_PATHS = ['/usr/bin/gcc', '/usr/local/bin/gcc', '/bin/gcc'];

/** The built binary's path: named after the source's hash, so an edited source is rebuilt. */
export function clockHelperPath(): string {
  const hash = createHash('sha256').update(readFileSync(CLOCK_HELPER_SOURCE)).digest('hex').slice(0, 12);
  return join(CACHE, `clockskew-${hash}`);
}

function gcc(): string | undefined {
  return GCC_PATHS.find((p) => existsSync(p));
}

/** What decides whether the clock faults can run: the machine, and whether the helper is or can be built. */
export interface ClockHelperEnv {
  arch: string;
  built: boolean;
  gcc: boolean;
}

/**
 * Why the clock faults cannot run here, or undefined when they can (the helper is built, or gcc is
 * there to build it). Only these faults depend on it: everything else runs without.
 */
export function clockHelperUnavailable(env?: ClockHelperEnv): string | undefined {
  const e = env ?? { arch: arch(), built: existsSync(clockHelperPath()), gcc: gcc() !== undefined };
  if (e.arch !== 'x64') return `clock faults patch the x86_64 vDSO; this machine is ${e.arch}`;
  if (e.built || e.gcc) return undefined;
  return 'clock faults need the clockskew helper, built with gcc -static, and gcc is missing (apt-get install gcc libc6-dev)';
}

/** Builds the helper when it is missing (about 1 s); returns its path. Throws EnvironmentError when it cannot. */
export function ensureClockHelper(log: (line: CheckLine) => void = () => {}): string {
  const why = clockHelperUnavailable();
  if (why) throw new EnvironmentError(why, 'only the clock faults (skewClock, jumpMonotonic) are unavailable; the rest runs');
  const out = clockHelperPath();
  if (existsSync(out)) {
    log({ what: 'clock helper', status: 'ok', detail: out });
    return out;
  }
  mkdirSync(CACHE, { recursive: true });
  const t0 = Date.now();
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    // Static: the same file runs on the host (runtime patches) and inside any etcd image (launcher).
    execFileSync(gcc()!, ['-static', '-O2', '-Wall', '-o', tmp, CLOCK_HELPER_SOURCE, '-lpthread'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = String((e as { stderr?: Buffer }).stderr ?? e)
      .trim()
      .split('\n')
      .slice(-1)[0];
    throw new EnvironmentError(
      `gcc -static could not build ${CLOCK_HELPER_SOURCE}: ${err}`,
      'install the static C library (apt-get install libc6-dev); only the clock faults are unavailable',
    );
  }
  renameSync(tmp, out); // atomic: two processes building at once both end with a whole file
  log({ what: 'clock helper', status: 'fixed', detail: `built ${out} with gcc -static in ${Date.now() - t0} ms` });
  return out;
}

/** doctor's line: ok / fixed, or `missing` saying that only the clock faults are unavailable. */
export function checkClockHelper(log: (line: CheckLine) => void): void {
  try {
    ensureClockHelper(log);
  } catch (e) {
    log({ what: 'clock helper', status: 'missing', detail: e instanceof EnvironmentError ? e.toLine() : String(e) });
  }
}
