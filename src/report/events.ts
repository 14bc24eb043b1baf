import type { CommandResult } from '../cluster/command-result.js';
import type { Verdict } from '../checks/verdict.js';
import type { Phase, Variant } from '../run/scenario.js';

/** Everything a run says while it runs: one discriminated union, for reporters and report.json. */
export type RunEvent =
  | {
      type: 'run-start';
      at: number;
      runId: string;
      scenario: string;
      variant: Variant;
      members: number;
      version: string;
      tls: boolean;
      seed: number;
    }
  | { type: 'cluster-ready'; at: number; elapsedMs: number; leader?: string }
  | { type: 'phase'; at: number; phase: Phase }
  | { type: 'step-start'; at: number; index: number; phase: Phase; name: string; source?: string }
  | { type: 'command'; at: number; step: number; result: CommandResult }
  | { type: 'step-end'; at: number; index: number; phase: Phase; name: string; durationMs: number; error?: string; notes: string[] }
  | { type: 'fault-injected'; at: number; name: string; members: string[] }
  | { type: 'fault-healed'; at: number; name: string; members: string[] }
  | { type: 'leader-changed'; at: number; from?: string; to?: string; term: number }
  | { type: 'metric'; at: number; name: string; value: number; unit: string }
  | { type: 'check'; at: number; name: string; assumption: boolean; verdict: Verdict }
  | { type: 'run-end'; at: number; status: string; durationMs: number };

/** An event without its timestamp: what callers emit (the run context stamps `at`). */
export type RunEventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at'> : never) : never;
