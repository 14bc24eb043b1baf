import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { CommandResult } from '../cluster/command-result.js';
import type { EtcdctlOptions, ExecOptions, Member } from '../cluster/member.js';
import type { StartedCluster } from '../cluster/started-cluster.js';
import type { RunEvent, RunEventInput } from '../report/events.js';
import type { StepLogEntry } from '../report/run-report.js';
import type { Injection } from '../faults/fault.js';
import type { Target, TargetContext } from '../targets/target.js';
import { History } from '../workload/history.js';
import type { Workload } from '../workload/workload.js';

export interface RetryOptions {
  /** Retry while the result matches (e.g. /unhealthy cluster/): what an operator would retry on. */
  retryOn: RegExp;
  timeoutMs?: number;
  intervalMs?: number;
  /**
   * Once, when still refused after `afterMs`: what an operator does next (restart a peer etcd still
   * counts as inactive, src/runbook/peer-status.ts); then the retries go on, at least once more.
   */
  unstick?: { afterMs: number; run: (ctx: RunContext, via: Member) => Promise<void> };
}

/**
 * What steps and checks see: the cluster, one seeded RNG, members remembered by earlier steps,
 * values steps learned (`vars`), the write history, and the step log every command lands in.
 */
export class RunContext implements TargetContext {
  readonly refs = new Map<string, Member[]>();
  readonly vars = new Map<string, unknown>();
  readonly events: RunEvent[] = [];
  readonly steps: StepLogEntry[] = [];
  readonly timings: Record<string, number> = {};
  readonly history: History;
  workload?: Workload;
  current?: StepLogEntry;
  /** Faults in force, by the name they were injected under; healed before teardown. */
  private readonly injections = new Map<string, Injection[]>();
  private readonly rng: RandomGenerator;

  constructor(
    readonly cluster: StartedCluster,
    readonly seed: number,
    private readonly listener: (e: RunEvent) => void,
    private readonly t0: number,
  ) {
    this.history = new History(t0);
    this.rng = xoroshiro128plus(seed);
  }

  /** ms since the run started. */
  now(): number {
    return performance.now() - this.t0;
  }

  /** An arrow property, so it can be passed around unbound (`pick(xs, n, ctx.random)`). */
  readonly random = (): number => uniformInt(this.rng, 0, 0x7fffffff) / 0x80000000;

  emit(e: RunEventInput): void {
    const event = { ...e, at: Math.round(this.now()) } as RunEvent;
    this.events.push(event);
    this.listener(event);
  }

  async leader(): Promise<Member | undefined> {
    return (await this.cluster.leader(1000))?.leader;
  }

  /** Resolves a target and, with `remember`, keeps the members for later steps and checks. */
  async resolve(target: Target, remember?: string): Promise<Member[]> {
    const members = await target.resolve(this);
    if (remember) this.refs.set(remember, [...(this.refs.get(remember) ?? []).filter((m) => !members.includes(m)), ...members]);
    return members;
  }

  ref(name: string): Member[] {
    return this.refs.get(name) ?? [];
  }

  /** Keeps an injection under `name` (and its members as a ref of that name) until it is healed. */
  track(name: string, inj: Injection): void {
    this.injections.set(name, [...(this.injections.get(name) ?? []), inj]);
    this.refs.set(name, [...this.ref(name).filter((m) => !inj.members.includes(m)), ...inj.members]);
  }

  /** Heals the injections kept under `name`, or every one when no name is given; returns them. */
  async heal(name?: string): Promise<Injection[]> {
    const names = name === undefined ? [...this.injections.keys()] : [name];
    const healed: Injection[] = [];
    for (const n of names) {
      const list = this.injections.get(n) ?? [];
      this.injections.delete(n);
      // Last in, first out: a fault injected on top of another is undone first.
      for (const inj of list.reverse()) {
        await inj.heal();
        healed.push(inj);
      }
    }
    return healed;
  }

  /** Names with injections still in force, in the order they were first tracked. */
  tracked(): string[] {
    return [...this.injections.keys()];
  }

  /** Forgets the injections under `name` without healing them (their undo was done another way). */
  untrack(name: string): void {
    this.injections.delete(name);
  }

  /** Descriptions of what is still injected (for reports of failed or interrupted runs). */
  active(): string[] {
    return [...this.injections.values()].flat().map((i) => i.description);
  }

  /** Adds a command result to the current step's log. */
  record(result: CommandResult): CommandResult {
    this.current?.commands.push(result);
    this.emit({ type: 'command', step: this.current?.index ?? -1, result });
    return result;
  }

  note(text: string): void {
    this.current?.notes.push(text);
  }

  metric(name: string, value: number, unit = 'ms'): void {
    this.timings[name] = Math.round(value);
    this.emit({ type: 'metric', name, value: Math.round(value), unit });
  }

  etcdctl(member: Member, args: readonly string[], opts?: EtcdctlOptions): Promise<CommandResult> {
    return member.etcdctl(args, opts).then((r) => this.record(r));
  }

  exec(member: Member, argv: readonly string[], opts?: ExecOptions): Promise<CommandResult> {
    return member.exec(argv, opts).then((r) => this.record(r));
  }

  oneShot(member: Member, argv: readonly string[], opts?: ExecOptions): Promise<CommandResult> {
    return member.oneShot(argv, opts).then((r) => this.record(r));
  }

  /**
   * Runs an etcdctl command again while its answer matches `retryOn`, as an operator retries
   * `member add` while etcd says `unhealthy cluster`. Every attempt is in the step log.
   */
  async retryEtcdctl(member: Member, args: readonly string[], opts: RetryOptions & EtcdctlOptions): Promise<CommandResult> {
    const t0 = this.now();
    let deadline = t0 + (opts.timeoutMs ?? 30_000);
    let unstuck = false;
    for (;;) {
      const r = await this.etcdctl(member, args, opts);
      if (r.ok || !opts.retryOn.test(r.stderr + r.stdout)) return r;
      if (opts.unstick && !unstuck && this.now() - t0 >= opts.unstick.afterMs) {
        unstuck = true;
        await opts.unstick.run(this, member);
        deadline = Math.max(deadline, this.now() + 1); // one more attempt after it, however long it took
      } else if (this.now() > deadline) return r;
      await new Promise((res) => setTimeout(res, opts.intervalMs ?? 1000));
    }
  }
}
