import type { CheckResult, RunReport } from '../../src/report/run-report.js';

/** A small run report shaped like a real leader-kill run (3 members, one kill, one election). */
export function sampleReport(patch: Partial<RunReport> = {}): RunReport {
  const ops = Array.from({ length: 40 }, (_, i) => ({
    key: `/drill/w${i % 3}/${i}`,
    value: `v${i}`,
    call: 3000 + i * 100,
    ret: 3000 + i * 100 + (i === 20 ? 2500 : 5),
    outcome: (i === 20 ? 'unknown' : 'ok') as 'ok' | 'unknown',
    error: i === 20 ? 'context deadline exceeded' : undefined,
    mark: 'workload',
    api: 3 as const,
  }));
  const checks: CheckResult[] = [
    {
      name: 'acknowledged writes present on every member',
      assumption: false,
      verdict: { status: 'pass', message: '39 keys present' },
      durationMs: 12,
    },
    { name: 'cluster accepts writes', assumption: false, verdict: { status: 'pass', message: 'put and get succeeded' }, durationMs: 8 },
  ];
  return {
    schema: 'etcd-firedrill/run-report@1',
    runId: '20261201-080000-abcd',
    scenario: { id: 'leader-kill', title: 'Kill the leader', source: { runbook: 'runbooks.md §1', seed: 'seed 001 §二.3' } },
    variant: 'runbook',
    cluster: { members: 3, version: '3.5', tls: false, auth: false, image: 'etcd-firedrill/etcd:3.5.16' },
    seed: 42,
    startedAt: '2026-12-01T08:00:00.000Z',
    complete: true,
    status: 'pass',
    durationMs: 9000,
    timings: { 'cluster ready': 2900, 'election after leader kill': 900 },
    steps: [
      {
        index: 0,
        phase: 'fault',
        name: 'kill the leader (SIGKILL)',
        startedAt: 4000,
        durationMs: 100,
        commands: [],
        notes: ['killed etcd-1'],
      },
      {
        index: 1,
        phase: 'runbook',
        name: 'etcdctl member list',
        source: 'seed 001 §二.3',
        startedAt: 5000,
        durationMs: 60,
        notes: [],
        commands: [
          {
            command: 'ETCDCTL_API=3 etcdctl member list',
            where: 'etcd-2',
            exitCode: 0,
            stdout: 'a1b2, started, etcd-2\n',
            stderr: '',
            durationMs: 55,
            startedAt: '2026-12-01T08:00:05.000Z',
            timedOut: false,
            ok: true,
          },
        ],
      },
    ],
    checks,
    writes: { ok: 39, fail: 0, unknown: 1, ops },
    events: [
      {
        type: 'run-start',
        at: 0,
        runId: '20261201-080000-abcd',
        scenario: 'leader-kill',
        variant: 'runbook',
        members: 3,
        version: '3.5',
        tls: false,
        seed: 42,
      },
      { type: 'metric', at: 2900, name: 'cluster ready', value: 2900, unit: 'ms' },
      { type: 'cluster-ready', at: 2900, elapsedMs: 2900, leader: 'etcd-1' },
      { type: 'leader-changed', at: 2950, to: 'etcd-1', term: 2 },
      { type: 'phase', at: 3000, phase: 'prepare' },
      {
        type: 'member-status',
        at: 3500,
        members: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, up: true, term: 2, leader: 'etcd-1', dbSize: 20480 })),
      },
      { type: 'phase', at: 4000, phase: 'fault' },
      { type: 'fault-injected', at: 4050, name: 'kill', members: ['etcd-1'] },
      {
        type: 'member-status',
        at: 4500,
        members: [
          { name: 'etcd-1', up: false },
          ...[2, 3].map((i) => ({ name: `etcd-${i}`, up: true, term: 3, leader: 'etcd-2', dbSize: 20480 })),
        ],
      },
      { type: 'leader-changed', at: 4950, from: 'etcd-1', to: 'etcd-2', term: 3 },
      { type: 'metric', at: 4950, name: 'election after leader kill', value: 900, unit: 'ms' },
      { type: 'phase', at: 5000, phase: 'runbook' },
      {
        type: 'member-status',
        at: 6000,
        members: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, up: true, term: 3, leader: 'etcd-2', dbSize: 20480 })),
      },
      { type: 'phase', at: 7000, phase: 'checks' },
      ...checks.map((c, i) => ({ type: 'check' as const, at: 7100 + i * 10, name: c.name, assumption: false, verdict: c.verdict })),
      { type: 'run-end', at: 9000, status: 'pass', durationMs: 9000 },
    ],
    memberLogs: {},
    ...patch,
  };
}

/** Fails a check of a report (and the report), with a message full of characters markup must escape. */
export function withFailedCheck(r: RunReport, message = 'revision <5> & "6" differ | etcd-1 ≠ etcd-2'): RunReport {
  const checks = r.checks.map((c, i) => (i === 0 ? { ...c, verdict: { status: 'fail' as const, message } } : c));
  return { ...r, checks, status: 'fail' };
}
