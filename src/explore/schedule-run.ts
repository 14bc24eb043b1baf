import { waitConverged } from '../checks/converge.js';
import type { Fault, Injection } from '../faults/fault.js';
import type { CommandSpec } from './command.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';

/** Keys of injections whose heal is a runbook (the quota recovery): healed after every fault. */
export const RUNBOOK_KEY_PREFIX = 'runbook:';

/** One line of a schedule's log: what a command did, when, and how long it took. */
export interface ScheduleLogLine {
  /** ms since the schedule started. */
  at: number;
  command: string;
  text: string;
  durationMs: number;
}

/**
 * The real side of a model run: the run context of one schedule (cluster, history, workload,
 * injections) and the log of what each command did. Faults are kept under the model's keys
 * (`down:etcd-2`, `partition`), so a heal command undoes exactly what its inject did.
 */
export class ScheduleRun {
  readonly log: ScheduleLogLine[] = [];
  /** The commands that ran (their precondition held), in order, as data. */
  readonly ran: CommandSpec[] = [];
  private readonly t0 = performance.now();

  constructor(readonly ctx: RunContext) {}

  member(name: string): Member {
    return this.ctx.cluster.member(name);
  }

  /** The leader's name among `names` (all agreeing), waiting up to `timeoutMs`; undefined when there is none by then. */
  async leaderName(timeoutMs: number, names: readonly string[]): Promise<string | undefined> {
    const among = this.ctx.cluster.members.filter((m) => names.includes(m.name));
    return (await this.ctx.cluster.waitForLeader({ among, timeoutMs }).catch(() => undefined))?.leader.name;
  }

  /** Runs one command's action, logging it; the command's name goes into `ran`. */
  async step(cmd: { spec: CommandSpec; toString(): string }, action: () => Promise<string>): Promise<void> {
    const s0 = performance.now();
    const command = cmd.toString();
    this.ran.push(cmd.spec);
    let text: string;
    try {
      text = await action();
    } catch (e) {
      // A command that could not act is part of the schedule's story, not the end of it: the
      // invariants after healing still decide. The log says what went wrong.
      text = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.log.push({ at: Math.round(s0 - this.t0), command, text, durationMs: Math.round(performance.now() - s0) });
  }

  /** Injects a fault and keeps it under `key` until `heal(key)` or the end of the schedule. */
  async inject(key: string, fault: Fault): Promise<Injection> {
    const inj = await fault.inject(this.ctx);
    this.ctx.track(key, inj);
    return inj;
  }

  /**
   * Heals everything still in force at the end of a schedule: faults first, in the order they were
   * injected, then runbooks, which need every member back (the quota runbook defrags each one).
   */
  async healAll(): Promise<void> {
    const keys = this.ctx.tracked();
    for (const k of keys.filter((k) => !k.startsWith(RUNBOOK_KEY_PREFIX))) await this.ctx.heal(k);
    if (keys.some((k) => k.startsWith(RUNBOOK_KEY_PREFIX)))
      // A started member's etcd is still booting when its heal returns, and an unfrozen or
      // reconnected one still catching up: the runbook waits for them (bounded). Not waitReady:
      // under NOSPACE /health says false until the runbook has run.
      await waitConverged(this.ctx, this.ctx.cluster.members, 15_000);
    await this.ctx.heal();
  }

  /** A member to run the operator's etcdctl in: a running one that knows a leader (else any running one). */
  async operator(): Promise<Member> {
    const running = await this.ctx.cluster.running();
    for (const m of running) if ((await m.status(1000).catch(() => undefined))?.leaderId) return m;
    if (running[0]) return running[0];
    throw new Error('no member is running: nowhere to run etcdctl');
  }

  /** Heals what was injected under `key`; returns what it healed, as text. */
  async heal(key: string): Promise<string> {
    const healed = await this.ctx.heal(key);
    return healed.length ? `healed ${healed.map((i) => i.description).join('; ')}` : 'nothing to heal';
  }
}
