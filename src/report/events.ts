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
  /** Each member's own answer (term, whom it follows, db size), sampled while the run runs; down = no answer. */
  | {
      type: 'member-status';
      at: number;
      /** when the poll was sent (`at` is when the slowest answer came) */ sampledAt?: number;
      members: MemberSample[];
    }
  | { type: 'check'; at: number; name: string; assumption: boolean; verdict: Verdict }
  | { type: 'run-end'; at: number; status: string; durationMs: number };

/** One member's status at one moment, as the leader watcher sampled it. */
export interface MemberSample {
  name: string;
  up: boolean;
  term?: number;
  /** The member it names as leader (by name), if any. */
  leader?: string;
  dbSize?: number;
  revision?: number;
  /** e.g. `alarm:NOSPACE` */
  errors?: string[];
}

/** An event without its timestamp: what callers emit (the run context stamps `at`). */
export type RunEventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at'> : never) : never;
