import type { MemberSample, RunEvent } from './events.js';
import type { RunReport } from './run-report.js';
import type { Outcome } from '../workload/history.js';

/** A shaded stretch of the run: a fault in force, or a phase. Times in ms since the run started. */
export interface Window {
  from: number;
  to: number;
  label: string;
}

export interface ThroughputBucket {
  /** bucket start, ms */
  at: number;
  ok: number;
  fail: number;
  unknown: number;
}

export interface LatencyPoint {
  /** call time, ms */
  at: number;
  latencyMs: number;
  outcome: Outcome;
}

/** Time series the HTML report charts, all derived from report.json (events and writes). */
export interface ReportSeries {
  /** Where the time charts start: just before the cluster was ready (bring-up is flat and long). */
  startMs: number;
  endMs: number;
  bucketMs: number;
  throughput: ThroughputBucket[];
  latency: LatencyPoint[];
  faults: Window[];
  phases: Window[];
  members: string[];
  /** The agreed leader (leader-changed events); `undefined` = none. */
  leader: Array<{ at: number; leader?: string; term: number }>;
  samples: Array<{ at: number; members: MemberSample[] }>;
  /** True when the run is about the backend size (bytes metrics or a NOSPACE alarm seen). */
  dbRelevant: boolean;
}

type Ev<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
const of = <T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Array<Ev<T>> =>
  events.filter((e): e is Ev<T> => e.type === type);

/** A bucket width that gives about 60 buckets, rounded to a readable step. */
function bucketFor(endMs: number): number {
  const steps = [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
  return steps.find((s) => endMs / s <= 80) ?? 60_000;
}

/** Keeps at most `max` points, evenly spread, but every point whose outcome is not `ok`. */
function thin(points: LatencyPoint[], max: number): LatencyPoint[] {
  if (points.length <= max) return points;
  const bad = points.filter((p) => p.outcome !== 'ok');
  const ok = points.filter((p) => p.outcome === 'ok');
  const keep = Math.max(1, max - bad.length);
  const stride = ok.length / keep;
  const picked = Array.from({ length: Math.min(keep, ok.length) }, (_, i) => ok[Math.floor(i * stride)]!);
  return [...picked, ...bad].sort((a, b) => a.at - b.at);
}

/**
 * Fault windows: from each `fault-injected` to the `fault-healed` of the same fault and members;
 * a killed member has no heal event (a runbook step restarts it), so its window ends at the first
 * member sample that shows all its members answering again after one showed them down; else at
 * the end of the run.
 */
function faultWindows(events: readonly RunEvent[], samples: ReportSeries['samples'], endMs: number): Window[] {
  const healed = of(events, 'fault-healed');
  return of(events, 'fault-injected').map((f) => {
    const heal = healed.find((h) => h.at >= f.at && h.name === f.name && h.members.some((m) => f.members.includes(m)));
    let to = heal?.at;
    if (to === undefined) {
      let sawDown = false;
      for (const s of samples) {
        if (s.at < f.at) continue;
        const mine = s.members.filter((m) => f.members.includes(m.name));
        if (mine.some((m) => !m.up)) sawDown = true;
        else if (sawDown && mine.length > 0) {
          to = s.at;
          break;
        }
      }
    }
    return { from: f.at, to: to ?? endMs, label: `${f.name} ${f.members.join(', ')}` };
  });
}

export function reportSeries(report: RunReport, maxPoints = 3000): ReportSeries {
  const events = report.events;
  const ops = report.writes.ops;
  // A loop, not Math.max(...spread): a long run's hundreds of thousands of ops overflow the call stack.
  let endMs = Math.max(report.durationMs, 1);
  for (const e of events) endMs = Math.max(endMs, e.at);
  for (const o of ops) endMs = Math.max(endMs, o.ret);
  const ready = of(events, 'cluster-ready')[0]?.at ?? 0;
  const startMs = ready > 2000 ? Math.floor((ready - 500) / 1000) * 1000 : 0;
  const bucketMs = bucketFor(endMs - startMs);
  const throughput: ThroughputBucket[] = Array.from({ length: Math.ceil(endMs / bucketMs) + 1 }, (_, i) => ({
    at: i * bucketMs,
    ok: 0,
    fail: 0,
    unknown: 0,
  }));
  // Counted when answered: a write that hangs through an election shows up when etcd answers it.
  for (const o of ops) throughput[Math.min(throughput.length - 1, Math.floor(o.ret / bucketMs))]![o.outcome]++;
  const latency = thin(
    ops.map((o) => ({ at: o.call, latencyMs: Math.max(0.1, o.ret - o.call), outcome: o.outcome })),
    maxPoints,
  );

  const samples = of(events, 'member-status').map((e) => ({ at: e.sampledAt ?? e.at, members: e.members }));
  const phaseEvents = of(events, 'phase');
  const phases: Window[] = phaseEvents.map((p, i) => ({ from: p.at, to: phaseEvents[i + 1]?.at ?? endMs, label: p.phase }));
  // After the last check the cluster is torn down: members vanish then, and that is no fault.
  const lastCheck = of(events, 'check').at(-1);
  if (lastCheck && phases.at(-1)?.label === 'checks') {
    phases.at(-1)!.to = lastCheck.at;
    phases.push({ from: lastCheck.at, to: endMs, label: 'teardown' });
  }
  let faults = faultWindows(events, samples, endMs);
  // A fault that is not a Fault (filling the quota) still has its phase: shade that instead.
  if (faults.length === 0) faults = phases.filter((p) => p.label === 'fault').map((p) => ({ ...p, label: 'fault phase' }));

  const names = new Set<string>();
  for (let i = 1; i <= report.cluster.members; i++) names.add(`etcd-${i}`);
  for (const s of samples) for (const m of s.members) names.add(m.name);
  const leader = of(events, 'leader-changed').map((e) => ({ at: e.at, leader: e.to, term: e.term }));
  for (const l of leader) if (l.leader) names.add(l.leader);

  const dbRelevant =
    of(events, 'metric').some((m) => m.unit === 'bytes') ||
    samples.some((s) => s.members.some((m) => m.errors?.some((x) => /NOSPACE/.test(x))));
  return { startMs, endMs, bucketMs, throughput, latency, faults, phases, members: [...names], leader, samples, dbRelevant };
}
