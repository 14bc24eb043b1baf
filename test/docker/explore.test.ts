import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../src/cluster/start-cluster.js';
import type { CommandSpec } from '../../src/explore/command.js';
import { commandFromSpec } from '../../src/explore/command-spec.js';
import { saveSchedule, writeExploreReport } from '../../src/explore/explore-report.js';
import { runSchedule } from '../../src/explore/run-schedule.js';
import { explore } from '../../src/explore/explorer.js';
import { replay } from '../../src/explore/replay.js';

// The explorer proves it can find something: with the test-only fault that deletes an
// acknowledged key behind etcd's back, exploration must fail on "acknowledged writes present",
// fast-check must shrink the schedule to a short one that still holds the fault, and the report's
// seed + path (+ replay path) must run exactly that schedule again with the same failure; the
// saved schedule file too. Seed 67 (found offline with the pure model, no Docker) first fails on a
// 4-command schedule (its 3rd), so the shrinking is real. Timings are printed, never asserted.

const dir = mkdtempSync(join(tmpdir(), 'firedrill-explore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('explore (3 members, 3.5, fast timing)', () => {
  it('finds the deleted acknowledged key, shrinks the schedule, and replays it from seed and path', async () => {
    const lines: string[] = [];
    const report = await explore({
      runs: 10,
      seed: 67,
      members: 3,
      version: '3.5',
      maxCommands: 5,
      includeTestFaults: true,
      timeLimitMs: 150_000,
      log: (l) => lines.push(l),
    });
    const file = writeExploreReport(report, join(dir, `explore-${report.id}`));
    console.log(lines.join('\n'));
    console.log(`${report.speed.schedules} schedules, ${report.speed.perMinute}/min, load ${report.speed.loadAverage.join(' ')}`);

    expect(report.status).toBe('fail');
    const f = report.failure!;
    expect(f.failures.join('\n')).toMatch(/^acknowledged writes present on every member: /m);
    expect(f.schedule).toContain('deleteAckedKey()');
    expect(f.schedule.length).toBeLessThanOrEqual(3);
    expect(f.firstFound!.schedule.length).toBeGreaterThan(f.schedule.length); // it really shrank
    expect(report.numShrinks).toBeGreaterThan(0);
    expect(f.path).toBeTruthy();

    // Exactly that schedule again, from the report's seed, path and replay path.
    const again = await replay(file);
    expect(again.reproduced).toBe(true);
    expect(again.schedule).toEqual(f.schedule);
    expect(again.report!.speed.schedules).toBe(1);

    // And from the saved regression file.
    const saved = join(dir, 'found.json');
    expect(typeof saveSchedule(report, file, saved, 'deleted-acked-key')).toBe('object');
    const fromFile = await replay(saved);
    expect(fromFile.reproduced).toBe(true);
    expect(fromFile.schedule).toEqual(f.schedule);
  }, 300_000); // up to 150 s of exploration, then two replays on fresh clusters

  it('a plain exploration (no test faults) on a reused cluster passes its invariants', async () => {
    const report = await explore({ runs: 4, seed: 7, members: 3, version: '3.5', maxCommands: 4, timeLimitMs: 90_000 });
    console.log(report.schedules.map((s) => `#${s.index} ${s.status} ${s.schedule.join(', ')}`).join('\n'));
    expect(report.options.kinds).not.toContain('delete-acked-key');
    expect(report.failure).toBeUndefined();
    expect(report.speed.clusterStarts).toBe(1); // every reset was proven clean
    expect(report.schedules.length).toBe(4);
  });

  it('leader faults hit whoever leads and read as the member they hit', async () => {
    const report = await explore({
      runs: 3,
      seed: 7,
      members: 3,
      version: '3.5',
      maxCommands: 3,
      kinds: ['leader', 'sleep'],
      timeLimitMs: 90_000,
    });
    console.log(report.schedules.map((s) => `#${s.index} ${s.status} ${s.schedule.join(', ')}`).join('\n'));
    expect(report.failure).toBeUndefined();
    const hits = report.schedules.filter((s) => s.schedule.some((c) => /^(kill|stop|pause)\(etcd-\d\)$/.test(c)));
    expect(hits.length).toBeGreaterThan(0);
    expect(report.schedules.flatMap((s) => s.schedule).join(' ')).not.toContain('(leader)'); // resolved once run
  });
});

// What exploration found on real etcd (scenarios/found/etcd34-isolated-member-term-inflation.json),
// asserted on both versions: a follower cut off for 1.5 s campaigns on its own; 3.4 (pre-vote off)
// lets its term climb and it forces elections when it returns, 3.5 (pre-vote on) does not.
describe.each(['3.4', '3.5'])('a follower cut off for 1.5 s (etcd %s)', (version) => {
  it(
    version === '3.4'
      ? 'returns with an inflated term: the "raft term stable" invariant fails'
      : 'its cut-off follower never becomes a candidate (pre-vote)',
    async () => {
      await using cluster = await startCluster({ members: 3, version, timing: 'fast' });
      const leader = (await cluster.leader())!.leader;
      const follower = cluster.members.find((m) => m !== leader)!.name;
      const names = cluster.members.map((m) => m.name);
      const specs: CommandSpec[] = [{ type: 'partition', side: [follower] }, { type: 'sleep', ms: 1500 }, { type: 'heal-partition' }];
      // What pre-vote guarantees whatever the machine's load: the cut-off follower never becomes a
      // candidate (its campaigns stop at pre-candidate). Its log is counted before and after.
      const campaigns = async (): Promise<number> =>
        ((await cluster.member(follower).logs()).match(/became candidate at term/g) ?? []).length;
      const campaignsBefore = await campaigns();
      const r = await runSchedule(
        cluster,
        specs.map((s) => commandFromSpec(s, names)),
        { index: 1, seed: 1, maxTermRise: 3 },
      );
      console.log(
        `${version}: ${r.schedule.join(', ')}: term ${r.availability.termBefore} → ${r.availability.termAfter}, gap ${r.availability.maxWriteGapMs} ms`,
      );
      expect(r.schedule).toHaveLength(3);
      const term = r.checks.find((c) => c.name === 'raft term stable')!;
      const others = r.checks.filter((c) => c.name !== 'raft term stable');
      console.log(others.map((c) => `  ${c.verdict.status} ${c.name}: ${c.verdict.message.split('\n')[0]}`).join('\n'));
      expect(others.map((c) => c.verdict.status)).not.toContain('fail'); // no data problem either way
      const became = (await campaigns()) - campaignsBefore;
      console.log(`${version}: ${follower} became candidate ${became} times; raft term stable: ${term.verdict.status}`);
      if (version === '3.4') {
        expect(became).toBeGreaterThan(3); // one campaign per election timeout (100 ms) while cut off
        expect(term.verdict.status).toBe('fail');
      } else {
        // The term itself is reported, not asserted: with 100 ms election timeouts a loaded CI machine
        // can stall a leader into an election that has nothing to do with the partition.
        expect(became).toBe(0);
      }
    },
  );
});
