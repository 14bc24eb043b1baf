import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/faults/fault.js';
import { commandArbitraries, DEFAULT_KINDS } from '../../src/explore/arbitraries.js';
import { commandFromSpec } from '../../src/explore/command-spec.js';
import { KillCommand, StartCommand } from '../../src/explore/commands/kill.js';
import { HealPartitionCommand, PartitionCommand } from '../../src/explore/commands/partition.js';
import { PauseCommand } from '../../src/explore/commands/pause.js';
import { SkewClockCommand } from '../../src/explore/commands/skew.js';
import { SleepCommand } from '../../src/explore/commands/sleep.js';
import { DeleteAckedKeyCommand } from '../../src/explore/commands/delete-acked-key.js';
import { RestoreCommand } from '../../src/explore/commands/restore.js';
import { LeaderFaultCommand } from '../../src/explore/commands/leader.js';
import { FillQuotaCommand, RecoverQuotaCommand } from '../../src/explore/commands/quota.js';
import { hasQuorum, initialModel, tolerated, unavailable, withinBudget, type ExploreModel } from '../../src/explore/model.js';
import { ScheduleRun } from '../../src/explore/schedule-run.js';
import { RunContext } from '../../src/run/run-context.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { injection } from '../../src/faults/fault.js';

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `etcd-${i + 1}`);

/**
 * A fake cluster behind the ScheduleRun interface: no Docker, it only keeps which faults are in
 * force under which key, and fails loudly when a command injects what is already injected or heals
 * what is not (a precondition bug would show up as exactly that on a real cluster).
 */
function fakeRun(): { run: ScheduleRun; active: Map<string, string>; ran: string[] } {
  const active = new Map<string, string>();
  const ran: string[] = [];
  const run = {
    ctx: { history: { ops: [{ api: 3, outcome: 'ok', key: '/k' }] } },
    member: () => ({ etcdctl: async () => ({ exitCode: 0, stdout: '1' }) }),
    // The fake's leader: the first of the members asked about (a real cluster elects one of those).
    async leaderName(_timeoutMs: number, among: readonly string[]) {
      return among[0];
    },
    async step(cmd: { toString(): string }, action: () => Promise<string>) {
      ran.push(cmd.toString());
      if (!(cmd instanceof SleepCommand)) await action(); // a fake cluster has no time to pass
    },
    async inject(key: string, fault: Fault) {
      if (active.has(key)) throw new Error(`${key} injected twice`);
      active.set(key, fault.name);
      return { description: key };
    },
    async heal(key: string) {
      if (!active.delete(key)) throw new Error(`${key} healed while not injected`);
      return `healed ${key}`;
    },
  };
  return { run: run as unknown as ScheduleRun, active, ran };
}

/** The keys the model says must be in force. */
function expectedKeys(m: ExploreModel): string[] {
  return [
    ...[...m.down].map((x) => `down:${x}`),
    ...[...m.paused].map((x) => `pause:${x}`),
    ...(m.partition ? ['partition'] : []),
    ...[...m.skewed].map((x) => `skew:${x}`),
  ].sort();
}

describe('explorer model', () => {
  it('keeps quorum by default: 1 of 3, 2 of 5 may be unavailable', () => {
    expect(initialModel(names(3)).budget).toBe(1);
    expect(initialModel(names(5)).budget).toBe(2);
    expect(initialModel(names(3), { allowQuorumLoss: true }).budget).toBe(3);
    expect(tolerated(1)).toBe(0);
  });

  it('counts down, paused and cut-off members once each', () => {
    const m = initialModel(names(5));
    m.down.add('etcd-1');
    m.paused.add('etcd-2');
    m.partition = ['etcd-1'];
    expect([...unavailable(m)].sort()).toEqual(['etcd-1', 'etcd-2']);
    expect(withinBudget(m, ['etcd-3'])).toBe(false);
    expect(withinBudget(m, ['etcd-2'])).toBe(true);
    expect(hasQuorum(m)).toBe(true);
  });

  it('preconditions: no second kill, no kill over budget, start only what is down', () => {
    const m = initialModel(names(3));
    const kill1 = new KillCommand('etcd-1');
    expect(kill1.check(m)).toBe(true);
    m.down.add('etcd-1');
    expect(kill1.check(m)).toBe(false);
    expect(new KillCommand('etcd-2').check(m)).toBe(false); // quorum would go
    expect(new PauseCommand('etcd-2').check(m)).toBe(false);
    expect(new StartCommand('etcd-1').check(m)).toBe(true);
    expect(new StartCommand('etcd-2').check(m)).toBe(false);
    expect(new PartitionCommand(['etcd-2'], names(3)).check(m)).toBe(false);
    expect(new HealPartitionCommand().check(m)).toBe(false);
  });

  it('preconditions: fill only with quorum and room, recover only a full backend with quorum', () => {
    const m = initialModel(names(3));
    const fill = new FillQuotaCommand();
    const recover = new RecoverQuotaCommand();
    expect(recover.check(m)).toBe(false);
    expect(fill.check(m)).toBe(true);
    m.quotaFull = true;
    expect(fill.check(m)).toBe(false);
    expect(recover.check(m)).toBe(true);
    m.down.add('etcd-1');
    m.paused.add('etcd-2');
    expect(recover.check(m)).toBe(false); // compaction and disarm go through raft
    expect(`${fill} ${recover}`).toBe('fillQuota() recoverQuota()');
  });

  it('the end of a schedule heals faults first, in injection order, then runbooks (they need every member back)', async () => {
    const healed: string[] = [];
    // The fake cluster has no members: waiting for them to converge is one look at their statuses.
    const cluster = { members: [], statuses: async () => (healed.push('members converged'), new Map()) };
    const real = new ScheduleRun(new RunContext(cluster as unknown as StartedCluster, 1, () => {}, 0));
    const track = (key: string): void =>
      real.ctx.track(
        key,
        injection(key, [], async () => void healed.push(key)),
      );
    ['runbook:quota', 'down:etcd-2', 'partition'].forEach(track);
    await real.healAll();
    expect(healed).toEqual(['down:etcd-2', 'partition', 'members converged', 'runbook:quota']);
    expect(real.ctx.tracked()).toEqual([]);
  });

  it('reads well', () => {
    expect(new KillCommand('etcd-2').toString()).toBe('kill(etcd-2)');
    expect(new KillCommand('etcd-2', 'SIGTERM').toString()).toBe('stop(etcd-2)');
    expect(new PartitionCommand(['etcd-1'], names(3)).toString()).toBe('partition([etcd-1] | [etcd-2,etcd-3])');
    expect(new HealPartitionCommand().toString()).toBe('heal(partition)');
    expect(new SleepCommand(800).toString()).toBe('sleep(800ms)');
    expect(new SkewClockCommand('etcd-3', 30_000).toString()).toBe('skewClock(etcd-3, +30s)');
    expect(new SkewClockCommand('etcd-3', -5000).toString()).toBe('skewClock(etcd-3, -5s)');
  });

  it('a saved command comes back as the same command', () => {
    fc.assert(
      // A restore names its member only once it ran (next test); every other command is data from the start.
      fc.property(fc.oneof(...commandArbitraries(names(5), [...DEFAULT_KINDS, 'fill-quota', 'delete-acked-key'])), (cmd) => {
        if (cmd instanceof RestoreCommand) return;
        const back = commandFromSpec(cmd.spec, names(5));
        expect(back.toString()).toBe(cmd.toString());
        expect(back.spec).toEqual(cmd.spec);
      }),
    );
  });

  it('a restore starts (or unpauses) the k-th member taken, then reads and saves as that command', async () => {
    const m = initialModel(names(5));
    const { run, active, ran } = fakeRun();
    const restore = new RestoreCommand('start', 3);
    expect(restore.check(m)).toBe(false);
    expect(() => restore.spec).toThrow(/has not run/);
    for (const n of ['etcd-4', 'etcd-2']) await new KillCommand(n).run(m, run);
    expect(restore.check(m)).toBe(true);
    await restore.run(m, run); // pool [etcd-2, etcd-4], 3 % 2 = 1: etcd-4
    expect(restore.toString()).toBe('start(etcd-4)');
    expect(restore.spec).toEqual({ type: 'start', member: 'etcd-4' });
    expect(ran.at(-1)).toBe('start(etcd-4)');
    expect([...m.down]).toEqual(['etcd-2']);
    expect([...active.keys()]).toEqual(['down:etcd-2']);
    const unpause = new RestoreCommand('unpause', 0);
    expect(unpause.check(m)).toBe(false);
    await new PauseCommand('etcd-5').run(m, run);
    await unpause.run(m, run);
    expect(unpause.toString()).toBe('unpause(etcd-5)');
  });

  it('a leader fault hits whoever leads when it runs, then reads and saves as that command', async () => {
    const m = initialModel(names(5));
    const { run, active, ran } = fakeRun();
    const kill = new LeaderFaultCommand('kill');
    expect(kill.toString()).toBe('kill(leader)');
    expect(() => kill.spec).toThrow(/has not run/);
    expect(kill.check(m)).toBe(true);
    await kill.run(m, run);
    expect(kill.toString()).toBe('kill(etcd-1)');
    expect(kill.spec).toEqual({ type: 'kill', member: 'etcd-1' });
    const pause = new LeaderFaultCommand('pause');
    await pause.run(m, run); // etcd-1 is down: the next leader
    expect(pause.spec).toEqual({ type: 'pause', member: 'etcd-2' });
    expect(ran).toEqual(['kill(etcd-1)', 'pause(etcd-2)']);
    expect([...active.keys()]).toEqual(['down:etcd-1', 'pause:etcd-2']);
    expect(new LeaderFaultCommand('stop').check(m)).toBe(false); // 2 of 5 taken: the budget is spent
  });

  it('a leader fault asks only members the model counts as serving, and never takes one twice', async () => {
    const m = initialModel(names(5));
    const { run } = fakeRun();
    const asked: string[][] = [];
    // The survivors still name the member that was just paused; a real cluster's waitForLeader
    // (as this fake) counts only a leader among the members asked.
    (run as unknown as { leaderName: (t: number, among: readonly string[]) => Promise<string> }).leaderName = async (_t, among) => {
      asked.push([...among]);
      return among.includes('etcd-3') ? 'etcd-3' : among[0]!;
    };
    await new PauseCommand('etcd-3').run(m, run);
    const kill = new LeaderFaultCommand('kill');
    await kill.run(m, run);
    expect(asked[0]).toEqual(['etcd-1', 'etcd-2', 'etcd-4', 'etcd-5']);
    expect(kill.toString()).toBe('kill(etcd-1)');
    expect([...m.down]).toEqual(['etcd-1']);
    expect([...m.paused]).toEqual(['etcd-3']);
  });

  it('a leader fault with no leader to hit does nothing and says so', async () => {
    const m = initialModel(names(3));
    const { run } = fakeRun();
    (run as unknown as { leaderName: () => Promise<undefined> }).leaderName = async () => undefined;
    const stop = new LeaderFaultCommand('stop');
    await stop.run(m, run);
    expect(stop.toString()).toBe('sleep(0ms)');
    expect(m.down.size).toBe(0);
  });

  it('partition sides are minorities', () => {
    fc.assert(
      fc.property(fc.oneof(...commandArbitraries(names(5), ['partition'])), (cmd) => {
        if (cmd instanceof PartitionCommand) expect(cmd.side.length).toBeGreaterThanOrEqual(1);
        if (cmd instanceof PartitionCommand) expect(cmd.side.length).toBeLessThanOrEqual(2);
      }),
    );
  });

  for (const [n, allowQuorumLoss] of [
    [3, false],
    [5, false],
    [3, true],
  ] as const) {
    it(`any generated schedule stays within the budget and injects/heals consistently (${n} members${allowQuorumLoss ? ', quorum loss allowed' : ''})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commandArbitraries(names(n), [...DEFAULT_KINDS, 'leader', 'delete-acked-key']), { maxCommands: 30 }),
          async (cmds) => {
            const { run, active } = fakeRun();
            const model = initialModel(names(n), { allowQuorumLoss });
            // Wrap each command to check the model and the fake after every step.
            const checked = [...cmds].map((c) => ({
              check: (m: Readonly<ExploreModel>) => c.check(m),
              async run(m: ExploreModel, r: ScheduleRun) {
                if (c.toString() === new DeleteAckedKeyCommand().toString()) expect(hasQuorum(m)).toBe(true);
                await c.run(m, r);
                expect(unavailable(m).size).toBeLessThanOrEqual(m.budget);
                expect([...active.keys()].sort()).toEqual(expectedKeys(m));
              },
              toString: () => c.toString(),
            }));
            await fc.asyncModelRun(() => ({ model, real: run }), checked);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});
