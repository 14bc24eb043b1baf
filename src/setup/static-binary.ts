import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: our C sources are under docker/, their builds under .cache/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(REPO_ROOT, '.cache');
const GCC_PATHS = ['/usr/bin/gcc', '/usr/local/bin/gcc', '/bin/gcc'];

/** Where the build of `source` lives: named after the source's hash, so an edited source is rebuilt. */
export function cachedBinaryPath(source: string, name: string): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  return join(CACHE, `${name}-${hash}`);
}

export function findGcc(): string | undefined {
  return GCC_PATHS.find((p) => existsSync(p));
}

// gcc alone is not enough: -static needs libc.a, which is in libc6-dev, a package gcc only
// recommends. gcc answers the bare name when it has no such file.
export function hasStaticLibc(gcc: string | undefined): boolean {
  if (!gcc) return false;
  try {
    const p = execFileSync(gcc, ['-print-file-name=libc.a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return p !== 'libc.a' && existsSync(p);
  } catch {
    return false;
  }
}

/**
 * `gcc -static -O2 -Wall <args> -o out source`: static, so one file runs on the host and inside any
 * image of this architecture. Written to a temporary name and renamed: two processes building at
 * once both end with a whole file. Throws gcc's last line of output (an Error) when it fails.
 */
export function buildStatic(gcc: string, source: string, out: string, args: readonly string[]): void {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(gcc, ['-static', '-O2', '-Wall', '-o', tmp, source, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const last = String((e as { stderr?: Buffer }).stderr ?? e)
      .trim()
      .split('\n')
      .slice(-1)[0];
    throw new Error(`gcc -static could not build ${source}: ${last}`);
  }
  renameSync(tmp, out);
}
