import { existsSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../run/errors.js';
import { aptInstall, canAptInstall } from './apt-install.js';
import type { CheckLine } from './docker-engine.js';
import { buildStatic, cachedBinaryPath, findGcc, hasStaticLibc, REPO_ROOT } from './static-binary.js';

/** The helper's source, ours (see the comment at its top for the technique). */
export const CLOCK_HELPER_SOURCE = join(REPO_ROOT, 'docker', 'clock-skew', 'clockskew.c');

/** The built binary's path: named after the source's hash, so an edited source is rebuilt. */
export function clockHelperPath(): string {
  return cachedBinaryPath(CLOCK_HELPER_SOURCE, 'clockskew');
}

/** What decides whether the clock faults can run: the machine, and whether the helper is or can be built. */
export interface ClockHelperEnv {
  arch: string;
  built: boolean;
  gcc: boolean;
  /** libc.a, which gcc -static links (Debian: libc6-dev). */
  staticLibc: boolean;
  /** ptrace of a container's etcd (another user's process) from the host needs root. */
  root: boolean;
}

function machine(): ClockHelperEnv {
  const built = existsSync(clockHelperPath());
  const gcc = findGcc();
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return { arch: arch(), built, gcc: gcc !== undefined, staticLibc: !built && hasStaticLibc(gcc), root };
}

/**
 * Why the clock faults cannot run here, or undefined when they can (the helper is built, or gcc is
 * there to build it). Only these faults depend on it: everything else runs without.
 */
export function clockHelperUnavailable(env?: ClockHelperEnv): string | undefined {
  const e = env ?? machine();
  if (e.arch !== 'x64') return `clock faults patch the x86_64 vDSO; this machine is ${e.arch}`;
  if (!e.root) return 'clock faults ptrace etcd inside its container from the host, which needs root; run as root';
  if (e.built || (e.gcc && e.staticLibc)) return undefined;
  const missing = e.gcc ? 'the static C library (libc.a) is missing' : 'gcc is missing';
  return `clock faults need the clockskew helper, built with gcc -static, and ${missing} (apt-get install gcc libc6-dev; \`firedrill doctor\` does it as root on Debian)`;
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
  const t0 = Date.now();
  try {
    buildStatic(findGcc()!, CLOCK_HELPER_SOURCE, out, ['-lpthread']);
  } catch (e) {
    throw new EnvironmentError(
      e instanceof Error ? e.message : String(e),
      'install the static C library (apt-get install libc6-dev); only the clock faults are unavailable',
    );
  }
  log({ what: 'clock helper', status: 'fixed', detail: `built ${out} with gcc -static in ${Date.now() - t0} ms` });
  return out;
}

/**
 * doctor's line: ok / fixed (built; as root on Debian, after installing gcc and libc6-dev with apt
 * when they are missing), or `missing` saying that only the clock faults are unavailable.
 */
export async function checkClockHelper(log: (line: CheckLine) => void): Promise<void> {
  const e = machine();
  if (e.arch === 'x64' && !e.built && !(e.gcc && e.staticLibc) && canAptInstall()) {
    const t0 = Date.now();
    const r = await aptInstall(['gcc', 'libc6-dev']);
    log({
      what: 'gcc, libc6-dev',
      status: r.ok ? 'fixed' : 'missing',
      detail: r.ok ? `installed with apt in ${Date.now() - t0} ms` : `apt-get install failed (exit ${r.exitCode}): ${r.last}`,
    });
  }
  try {
    ensureClockHelper(log);
  } catch (e) {
    log({ what: 'clock helper', status: 'missing', detail: e instanceof EnvironmentError ? e.toLine() : String(e) });
  }
}
