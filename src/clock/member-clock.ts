import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { docker } from '../cluster/docker-client.js';
import type { ContainerFile, Member } from '../cluster/member.js';
import { EnvironmentError, InputError } from '../run/errors.js';
import { clockHelperUnavailable, ensureClockHelper } from '../setup/clock-helper.js';
import { formatOffset, offsetNs, parseClockState, type ClockState } from './clock-offset.js';

/** A member's clock offsets; both 0 means its clock is the host's. */
export interface MemberClock {
  realtimeNs: bigint;
  monotonicNs: bigint;
}

const OFFSET_FILE = 'clockskew.offset';
/** Under the launcher the container runs `/clockskew launch --offset-file /clockskew.offset -- etcd ...`. */
const LAUNCHER_ARGV = ['/clockskew', 'launch', '--offset-file', `/${OFFSET_FILE}`, '--'];

// What the harness wants each member's clock to be: a restart loses the patch, so it is re-applied
// from here (see reapply) or read by the launcher from the offset file.
const wanted = new WeakMap<Member, MemberClock>();

/** The offsets the harness keeps for a member (0, 0 when none). */
export function memberClock(m: Member): MemberClock {
  return wanted.get(m) ?? { realtimeNs: 0n, monotonicNs: 0n };
}

/** Runs the helper on the host; resolves with what it printed about the process, rejects with its error line. */
export function runClockHelper(args: readonly string[], timeoutMs = 15_000): Promise<ClockState> {
  const bin = ensureClockHelper();
  return new Promise((resolve, reject) => {
    execFile(bin, [...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`clockskew ${args.join(' ')}: ${stderr.trim() || err.message}`));
        return;
      }
      try {
        resolve(parseClockState(stdout));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

/**
 * etcd's host PID (`docker inspect` State.Pid), or undefined when it is not running. etcd is the
 * container's PID 1 with or without the launcher (the launcher execs it). Undefined, too, while
 * PID 1 is still the launcher: a query or patch then would attach to the launcher, not etcd, and
 * hold off the launcher's own tracer (its launch waits for that, see clockskew.c).
 */
export async function etcdHostPid(m: Member): Promise<number | undefined> {
  try {
    const s = (await docker().getContainer(m.containerName).inspect()).State;
    return s.Running && !s.Paused && s.Pid > 0 && processName(s.Pid) !== 'clockskew' ? s.Pid : undefined;
  } catch {
    return undefined;
  }
}

/** The command name of a host process (`/proc/<pid>/comm`); undefined when it is gone. */
function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** What the member's running etcd has now, read from its vDSO; undefined when it is not running. */
export async function queryMemberClock(m: Member): Promise<ClockState | undefined> {
  const pid = await etcdHostPid(m);
  return pid ? runClockHelper(['query', String(pid)]) : undefined;
}

function offsetFile(c: MemberClock): ContainerFile {
  return { name: OFFSET_FILE, content: Buffer.from(`${c.realtimeNs} ${c.monotonicNs}\n`), mode: 0o644 };
}

/** Patches the running etcd to `c` (reset when both are 0); undefined when it is not running. */
async function patchRunning(m: Member, c: MemberClock): Promise<ClockState | undefined> {
  const pid = await etcdHostPid(m);
  if (!pid) return undefined;
  if (c.realtimeNs === 0n && c.monotonicNs === 0n) return runClockHelper(['reset', String(pid)]);
  const rt = await runClockHelper(['set', String(pid), String(c.realtimeNs)]);
  if (rt.monotonicNs === c.monotonicNs) return rt;
  const mono = await runClockHelper(['mono', String(pid), String(c.monotonicNs)]);
  return { ...mono, pausedUs: (rt.pausedUs ?? 0) + (mono.pausedUs ?? 0) };
}

// A restart started by the harness (Member.start) runs this: the new etcd gets the wanted wall-clock
// offset again, a few hundred ms after it started (until then it reads the host's clock). A
// monotonic offset is not carried over: it was a one-off jump of the old process's timers, and
// patching it into the new process mid-run would make its timers jump again, unasked.
async function reapply(m: Member): Promise<void> {
  const c = wanted.get(m);
  if (!c || m.launcher) return;
  const next = { realtimeNs: c.realtimeNs, monotonicNs: 0n };
  if (next.realtimeNs === 0n) {
    wanted.delete(m);
    m.afterStart.delete(reapply);
    return;
  }
  wanted.set(m, next);
  await patchRunning(m, next).catch(() => undefined); // it may have exited at once (a rejected start)
}

/**
 * Sets a member's clock offsets (only the fields given): patches the running etcd at once, and
 * keeps them so a restart by the harness gets them again (under the launcher: rewrites its offset
 * file; otherwise: re-patches after Member.start). Returns what the running etcd has now.
 */
export async function setMemberClock(m: Member, change: Partial<MemberClock>): Promise<ClockState | undefined> {
  const next = { ...memberClock(m), ...change };
  const none = next.realtimeNs === 0n && next.monotonicNs === 0n;
  if (none) wanted.delete(m);
  else wanted.set(m, next);
  if (none) m.afterStart.delete(reapply);
  else m.afterStart.add(reapply);
  if (m.launcher) {
    // Under the launcher: the running container's offset file, and the one a recreated container gets.
    m.launcher = { ...m.launcher, files: [...m.launcher.files.filter((f) => f.name !== OFFSET_FILE), offsetFile(next)] };
    if ((await m.state()) !== 'absent') await m.putFiles('/', [offsetFile(next)]);
  }
  return patchRunning(m, next);
}

/**
 * Validates ClusterSpec.clockSkew (member name → offset in ms or a duration) before anything is
 * created: names must be etcd-1 … etcd-N, offsets valid, and the helper built (or buildable).
 */
export function resolveClockSkew(skew: Record<string, number | string> | undefined, members: number): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [name, offset] of Object.entries(skew ?? {})) {
    const n = /^etcd-(\d+)$/.exec(name)?.[1];
    if (!n || Number(n) < 1 || Number(n) > members) {
      throw new InputError(`clockSkew names member "${name}", which this cluster does not have`, `use etcd-1 … etcd-${members}`);
    }
    const ns = offsetNs(offset);
    if (ns !== 0n) out.set(name, ns);
  }
  if (out.size) {
    const why = clockHelperUnavailable();
    if (why) throw new EnvironmentError(why, 'drop clockSkew from the cluster spec; the rest runs without the helper');
    ensureClockHelper();
  }
  return out;
}

/**
 * Makes the member's next container run etcd under the launcher with these offsets, from its first
 * instruction (ClusterSpec.clockSkew: before the cluster is created; restartSkewed: on a restart).
 */
export function skewAtCreation(m: Member, change: Partial<MemberClock>): MemberClock {
  const next = { ...memberClock(m), ...change };
  const helper: ContainerFile = { name: 'clockskew', content: readFileSync(ensureClockHelper()), mode: 0o755 };
  m.launcher = { argv: LAUNCHER_ARGV, files: [helper, offsetFile(next)] };
  wanted.set(m, next);
  m.afterStart.add(reapply);
  return next;
}

/**
 * Restarts the member with etcd under the launcher, skewed from its first instruction: SIGTERM,
 * the container is recreated (same volume, IP and flags) with the helper copied in, and started.
 * Later restarts keep the skew (the launcher reads the offset file the harness keeps current).
 */
export async function restartSkewed(m: Member, change: Partial<MemberClock>): Promise<ClockState> {
  await m.stop();
  await m.removeContainer();
  const next = skewAtCreation(m, change);
  await m.start();
  // The launcher patches at the exec stop; read back what etcd really has (from its exec on).
  let last: ClockState | undefined;
  for (let i = 0; i < 30; i++) {
    last = await queryMemberClock(m).catch(() => undefined);
    if (last?.patched || (last && next.realtimeNs === 0n && next.monotonicNs === 0n)) return last;
    if (!last && (await m.state()) === 'exited') {
      const why = (await m.logLines()).map((l) => l.text).findLast((t) => t.startsWith('clockskew:')) ?? 'see its log';
      throw new Error(`${m.name} exited (code ${await m.exitCode()}) when restarted under the launcher: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Running on the host's clock would make every later observation about a skew that is not there.
  throw new Error(
    last
      ? `${m.name} runs unskewed after its restart under the launcher (pid ${last.pid}): see its log (clockskew: ...)`
      : `${m.name}: no skewed etcd to read back 3 s after its restart under the launcher`,
  );
}

/** `+2h (etcd stopped 0.3 ms, 14 threads)`: for step notes. */
export function describeClock(ns: bigint, s: ClockState | undefined): string {
  if (!s) return `${formatOffset(ns)} (not running: applied at its next start)`;
  const paused = s.pausedUs !== undefined ? `, etcd stopped ${(s.pausedUs / 1000).toFixed(1)} ms, ${s.threads} threads` : '';
  return `${formatOffset(ns)} (pid ${s.pid}${paused})`;
}
