// Runs iptables inside a member's network namespace, from the host.
//
// Why nsenter from the host rather than a NET_ADMIN sidecar sharing the member's namespace (Pumba's
// way): our etcd images are FROM scratch with busybox and no iptables, and a sidecar image with
// iptables would have to be built or pulled (no registry is used here); a sidecar is one more
// container per member that must be labelled, removed, and re-attached whenever Member.start
// recreates the member (a fresh namespace). nsenter needs none of that: the rules live only in the
// member's own namespace (never the host's tables) and vanish with it. The price: it needs root on
// the machine that runs dockerd, so `available()` says so when that is not this machine.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { renderCommand, type CommandResult } from '../cluster/command-result.js';
import { docker } from '../cluster/docker-client.js';
import type { Member } from '../cluster/member.js';

const BINARIES = ['/usr/bin/nsenter', '/usr/sbin/iptables'];

/** `true` when iptables can be run in members' namespaces from here; otherwise why not. */
export function netnsAvailable(): true | string {
  if (process.getuid?.() !== 0) return 'network faults need root (nsenter into the member network namespace)';
  const host = process.env.DOCKER_HOST;
  if (host && !host.startsWith('unix://')) return `network faults need the Docker engine on this machine (DOCKER_HOST=${host})`;
  for (const b of BINARIES) {
    try {
      accessSync(b, constants.X_OK);
    } catch {
      return `network faults need ${b} (apt-get install iptables util-linux)`;
    }
  }
  return true;
}

/** The host PID of the member's container (its namespace's owner), or undefined when it is not running. */
export async function memberPid(member: Member): Promise<number | undefined> {
  try {
    const s = (await docker().getContainer(member.containerName).inspect()).State;
    return s.Pid > 0 && (s.Running || s.Paused) ? s.Pid : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a binary in the network namespace of `pid` (and only that namespace). Never throws. */
export function inNetns(pid: number, where: string, argv: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const full = ['-t', String(pid), '-n', ...argv];
  return new Promise((resolve) => {
    execFile('nsenter', full, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      const exitCode = e ? (typeof e.code === 'number' ? e.code : null) : 0;
      resolve({
        command: renderCommand(['nsenter', ...full]),
        where: `${where} (netns, from the host)`,
        startedAt,
        exitCode,
        stdout: String(stdout),
        stderr: e && exitCode === null ? `${String(stderr)}${e.message}` : String(stderr),
        durationMs: performance.now() - t0,
        timedOut: Boolean(e?.killed),
        ok: exitCode === 0,
      });
    });
  });
}

/** `iptables -S` in the member's namespace (empty when it is not running): for residue checks. */
export async function iptablesRules(member: Member): Promise<string> {
  const pid = await memberPid(member);
  if (!pid) return '';
  const r = await inNetns(pid, member.name, ['iptables', '-w', '5', '-S']);
  if (!r.ok) throw new Error(`iptables -S in ${member.name}: ${r.stderr.trim()}`);
  return r.stdout;
}
