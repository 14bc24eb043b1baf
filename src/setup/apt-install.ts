import { existsSync } from 'node:fs';
import { $ } from 'zx';

/** Root on Debian/Ubuntu: where the set-up may install what is missing with apt. */
export function canAptInstall(): boolean {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

export interface AptResult {
  ok: boolean;
  exitCode: number | null;
  /** apt's last line of output: why it failed. */
  last: string;
}

/**
 * `apt-get install -y --no-install-recommends <packages>`, with no terminal (CI, no stdin). When it
 * fails, the package lists are refreshed once (`apt-get update`: a fresh container has none, an old
 * one has stale ones) and the install retried.
 */
export async function aptInstall(packages: readonly string[]): Promise<AptResult> {
  $.verbose = false;
  // needrestart and debconf would otherwise talk to a terminal that is not there.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
  const opts = { env, nothrow: true, quiet: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  let install = await $(opts)`apt-get install -y -qq --no-install-recommends ${packages}`;
  if (install.exitCode !== 0) {
    await $(opts)`apt-get update -qq`;
    install = await $(opts)`apt-get install -y -qq --no-install-recommends ${packages}`;
  }
  const last = (install.stderr || install.stdout).trim().split('\n').pop() ?? '';
  return { ok: install.exitCode === 0, exitCode: install.exitCode, last };
}
