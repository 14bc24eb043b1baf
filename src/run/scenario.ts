import type { ClusterSpec } from '../cluster/cluster-spec.js';
import type { Verdict } from '../checks/verdict.js';
import type { RunContext } from './run-context.js';

export type Phase = 'prepare' | 'fault' | 'runbook' | 'checks';

/**
 * Which procedure a run applies: `runbook` (the corrected one, the default), `pitfall` (a mistake the
 * runbook warns about) or `as-written` (the seed's own text where it is wrong). The last two are
 * negative controls: they must fail on their `mustFail` checks.
 */
export type Variant = 'runbook' | 'pitfall' | 'as-written';

/** One operator action (or one harness action, for prepare and fault), citing where it comes from. */
export interface Step {
  /** What an operator would write in the runbook: `etcdctl snapshot save on etcd-1`. */
  name: string;
  /** Seed section it comes from, e.g. `seed 001 §二.3`. */
  source?: string;
  run(ctx: RunContext): Promise<void>;
}

/** A check reads the cluster and the run's records; a throwing check is `unknown`, never `pass`. */
export interface Check {
  name: string;
  run(ctx: RunContext): Promise<Verdict>;
}

/** The wrong procedure the runbook warns about, and the checks that must fail under it. */
export interface Pitfall {
  title: string;
  source: string;
  /** Replaces the runbook. */
  runbook: Step[];
  /** Names of checks that must fail: the negative control. */
  mustFail: string[];
}

/** A runbook entry as data: cluster, fault, recovery, checks, and its negative control. */
export interface Scenario {
  id: string;
  title: string;
  /** `runbooks.md §2` and the seed section. */
  source: { runbook: string; seed: string };
  /** One line: what a green run proves. */
  proves: string;
  /** Extra cluster settings (flags, timing); members and version come from the matrix. */
  cluster?: Omit<ClusterSpec, 'members' | 'version' | 'image'>;
  sizes: number[];
  versions: string[];
  /** Seed data, workload, backups: everything before the fault. */
  prepare: Step[];
  /** Run after prepare: they guard against a vacuous green (e.g. acknowledged writes exist). */
  assumptions: Check[];
  fault: Step[];
  runbook: Step[];
  checks: Check[];
  pitfall: Pitfall;
  /**
   * Where the seed's procedure is wrong as written: that procedure, word for word, with the seed line
   * quoted; `firedrill run <id> --as-written` runs it and must fail on `mustFail`.
   */
  asWritten?: Pitfall & { quote: string };
  /** Where reality differs from the seed: quoted in the report. */
  seedClaims?: Array<{ seed: string; claim: string; reality: string }>;
}
