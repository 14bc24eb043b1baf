import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { $ } from 'zx';
import { docker, dockerHost, withTimeout } from '../cluster/docker-client.js';
import { EnvironmentError } from '../run/errors.js';

/** One line per thing doctor looked at, printed by `firedrill doctor`. */
export interface CheckLine {
  what: string;
  status: 'ok' | 'fixed' | 'missing';
  detail: string;
}

const DOCKERD_LOG = '/var/log/firedrill-dockerd.log';

async function ping(ms: number): Promise<string | undefined> {
  try {
    await withTimeout(docker().ping(), ms);
    const v = await withTimeout(docker().version(), ms);
    return `${v.Version} (API ${v.ApiVersion})`;
  } catch {
    return undefined;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function onDebian(): boolean {
  return existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

function which(cmd: string): boolean {
  return ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'].some((d) => existsSync(`${d}/${cmd}`));
}

/**
 * Makes sure a Docker engine answers. Idempotent: when it already answers this is one ping (a few
 * ms). When it is missing or stopped and we are root on Debian/Ubuntu, installs `docker.io` with apt
 * and starts `dockerd` in the background; anywhere else it stops with one line saying what to do.
 */
export async function ensureDockerEngine(log: (line: CheckLine) => void = () => {}): Promise<void> {
  const running = await ping(2000);
  if (running) {
    log({ what: 'docker engine', status: 'ok', detail: `${running} at ${dockerHost()}` });
    return;
  }
  if (process.env.DOCKER_HOST) {
    throw new EnvironmentError(
      `Docker engine not reachable at DOCKER_HOST=${process.env.DOCKER_HOST}`,
      'start that engine, or unset DOCKER_HOST to use the local one',
    );
  }
  if (!isRoot() || !onDebian()) {
    throw new EnvironmentError(
      `Docker engine not running at ${dockerHost()} and this is ${isRoot() ? 'not Debian/Ubuntu' : 'not root'}`,
      'install Docker and start it (Debian/Ubuntu as root: `apt-get install docker.io && dockerd &`), or set DOCKER_HOST',
    );
  }
  if (!which('dockerd')) {
    const t0 = Date.now();
    $.verbose = false;
    // needrestart and debconf would otherwise talk to a terminal that is not there.
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
    const update = await $({ env, nothrow: true, quiet: true, stdio: ['ignore', 'pipe', 'pipe'] })`apt-get update -qq`;
    const install = await $({ env, nothrow: true, quiet: true, stdio: ['ignore', 'pipe', 'pipe'] })`apt-get install -y -qq docker.io`;
    if (install.exitCode !== 0) {
      throw new EnvironmentError(
        `apt-get install docker.io failed (exit ${install.exitCode}): ${lastLine(install.stderr || update.stderr)}`,
        'check that the Debian package archive is reachable, then run `firedrill doctor` again',
      );
    }
    log({ what: 'docker.io package', status: 'fixed', detail: `installed with apt in ${Date.now() - t0} ms` });
  }
  await startDockerd(log);
}

async function startDockerd(log: (line: CheckLine) => void): Promise<void> {
  const t0 = Date.now();
  // Detached with its own log file: dockerd must outlive this process (the tests run after it).
  const out = openSync(DOCKERD_LOG, 'a');
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const v = await ping(1000);
    if (v) {
      log({ what: 'dockerd', status: 'fixed', detail: `started ${v} in ${Date.now() - t0} ms (log: ${DOCKERD_LOG})` });
      return;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new EnvironmentError(`dockerd did not answer within 60 s (exit ${child.exitCode ?? 'none yet'})`, `read ${DOCKERD_LOG}`);
}

function lastLine(s: string): string {
  return s.trim().split('\n').pop() ?? '';
}
