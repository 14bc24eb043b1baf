import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/commands/explore.js';
import { exploreCommandFor, renderExploreMarkdown, type ExploreReport } from '../../src/explore/explore-report.js';
import { maxAckGap } from '../../src/explore/run-schedule.js';

const report: ExploreReport = {
  schema: 'etcd-firedrill/explore@1',
  id: 'x',
  startedAt: '2026-12-01T00:00:00Z',
  options: {
    runs: 10,
    members: 3,
    version: '3.4',
    maxCommands: 5,
    kinds: ['kill', 'pause', 'delete-acked-key'],
    includeTestFaults: true,
    allowQuorumLoss: false,
    reuse: true,
  },
  image: 'etcd-firedrill/etcd:3.4',
  seed: 5,
  complete: true,
  status: 'fail',
  numRuns: 4,
  numShrinks: 1,
  interrupted: false,
  failure: {
    path: '3:1',
    replayPath: 'CAB:F',
    schedule: ['deleteAckedKey()'],
    specs: [{ type: 'delete-acked-key' }],
    failures: ['acknowledged writes present on every member: etcd-1: 1 of 9 missing'],
    checks: [],
    log: [{ at: 310, command: 'deleteAckedKey()', text: 'etcdctl del /k on etcd-1: exit 0 1', durationMs: 80 }],
    firstFound: { index: 4, schedule: ['sleep(500ms)', 'pause(etcd-1)', 'deleteAckedKey()'] },
  },
  schedules: [
    {
      index: 1,
      status: 'pass',
      schedule: ['partition([etcd-1] | [etcd-2,etcd-3])'],
      durationMs: 1200,
      writes: { ok: 10, fail: 0, unknown: 1 },
      failures: [],
      inconclusive: [],
      availability: { maxWriteGapMs: 250, termBefore: 2, termAfter: 9, leaderChanged: true },
      checks: [],
    },
  ],
  speed: {
    schedules: 6,
    exploringMs: 30_000,
    perMinute: 12,
    clusterStartMs: 3000,
    clusterStarts: 1,
    resetMeanMs: 200,
    resetRepairs: [],
    loadAverageAtStart: [9, 9, 9],
    loadAverage: [10, 9, 9],
    cpus: 2,
  },
  durationMs: 33_000,
};

describe('explore report', () => {
  it('prints the shrunk schedule, the seed, path and replay path, and how to replay', () => {
    const md = renderExploreMarkdown(report, 'reports/explore-x/explore.json');
    expect(md).toContain('deleteAckedKey()');
    expect(md).toContain('npx firedrill replay reports/explore-x/explore.json');
    expect(md).toContain('seed 5, path 3:1, replayPath CAB:F');
    expect(md).toContain('12 schedules/min (load average 9, 9, 9 at start');
    expect(md).toContain('partition([etcd-1] \\| [etcd-2,etcd-3])'); // a pipe in a table cell is escaped
    expect(md).toContain('2 → 9 (new leader)');
  });

  it('the explicit explore command carries everything a replay needs', () => {
    expect(exploreCommandFor(report)).toBe(
      "npx firedrill explore --runs 10 --seed 5 --path 3:1 --replay-path 'CAB:F' --members 3 --version 3.4 --max-commands 5 --faults kill,pause --include-test-faults",
    );
  });

  it('durations', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('2')).toBe(2000);
    expect(() => parseDuration('soon')).toThrow(/duration "soon"/);
  });

  it('longest write gap', () => {
    const ops = [
      { outcome: 'ok', ret: 100 },
      { outcome: 'unknown', ret: 400 },
      { outcome: 'ok', ret: 700 },
      { outcome: 'ok', ret: 750 },
    ];
    expect(maxAckGap(ops, 0, 1000)).toBe(600);
    expect(maxAckGap([], 0, 1000)).toBe(1000);
  });
});
