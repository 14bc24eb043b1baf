import type { CommandResult } from '../cluster/command-result.js';
import type { Verdict, VerdictStatus } from '../checks/verdict.js';
import type { WriteOp } from '../workload/history.js';
import type { RunEvent } from './events.js';
import type { Phase, Variant } from '../run/scenario.js';

export interface StepLogEntry {
  index: number;
  phase: Phase;
  name: string;
  source?: string;
  startedAt: number;
  durationMs: number;
  commands: CommandResult[];
  notes: string[];
  error?: string;
}

export interface CheckResult {
  name: string;
  assumption: boolean;
  verdict: Verdict;
  durationMs: number;
}

/** report.json: the source of truth every other report format is made from. */
export interface RunReport {
  schema: 'etcd-firedrill/run-report@1';
  runId: string;
  scenario: { id: string; title: string; source: { runbook: string; seed: string } };
  /** `runbook` (the corrected procedure), `pitfall` (a mistake the seeds warn about), `as-written` (the seed's wrong text). */
  variant: Variant;
  cluster: { members: number; version: string; tls: boolean; auth: boolean; image?: string };
  seed: number;
  startedAt: string;
  /** false when the run crashed or was interrupted: the evidence is partial. */
  complete: boolean;
  /** Overall: the worst verdict of assumptions and checks; `unknown` when an assumption failed. */
  status: VerdictStatus;
  /** For a pitfall or as-written run: did every check in mustFail fail? */
  negativeControl?: { mustFail: string[]; failedAsExpected: boolean; missing: string[] };
  error?: string;
  durationMs: number;
  timings: Record<string, number>;
  steps: StepLogEntry[];
  checks: CheckResult[];
  writes: { ok: number; fail: number; unknown: number; ops: WriteOp[] };
  events: RunEvent[];
  seedClaims?: Array<{ seed: string; claim: string; reality: string }>;
  /** For an as-written run: the seed's words that are wrong, quoted. */
  asWritten?: { seed: string; quote: string; title: string };
  /** Paths (relative to the report) of member logs. */
  memberLogs: Record<string, string>;
}
