/**
 * Every write the harness makes, with its outcome. `unknown` means the write may or may not have
 * been applied (timeout, lost connection, leader lost mid-flight): measured on real etcd, a put
 * that errored during quorum loss was applied later in 4 of 6 runs, so an error is never taken as
 * "not written" unless etcd says so definitively.
 */
export type Outcome = 'ok' | 'fail' | 'unknown';

export interface WriteOp {
  key: string;
  value: string;
  /** ms since the run started, on one monotonic clock */
  call: number;
  ret: number;
  outcome: Outcome;
  error?: string;
  /** Phase mark active when the write was made (`seed`, `after-snapshot`, ...). */
  mark: string;
  api: 2 | 3;
}

/**
 * Errors after which etcd guarantees the write was not applied (it was refused before raft).
 * `database space exceeded` is NOT one of them: the put that crosses the quota is applied and then
 * answered with that error (etcd's apply-time quota check; measured here: 1-4 such puts per fill
 * were present afterwards), and a client cannot tell it from one refused up front.
 */
const DEFINITE_FAILURES = [
  /user name is empty|permission denied|invalid auth token/,
  /value is too large|request is too large/,
  // The connection was refused: the request never reached etcd.
  /ECONNREFUSED/,
];

export function classifyWriteError(message: string): Outcome {
  return DEFINITE_FAILURES.some((re) => re.test(message)) ? 'fail' : 'unknown';
}

export class History {
  readonly ops: WriteOp[] = [];
  mark = 'seed';

  constructor(private readonly t0 = performance.now()) {}

  now(): number {
    return performance.now() - this.t0;
  }

  /** Records the outcome of one write; `write` throws on error. */
  async record(key: string, value: string, write: () => Promise<unknown>, api: 2 | 3 = 3): Promise<WriteOp> {
    const call = this.now();
    let outcome: Outcome = 'ok';
    let error: string | undefined;
    try {
      await write();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      outcome = classifyWriteError(error);
    }
    const op: WriteOp = { key, value, call, ret: this.now(), outcome, error, mark: this.mark, api };
    this.ops.push(op);
    return op;
  }

  count(outcome: Outcome, filter: (op: WriteOp) => boolean = () => true): number {
    return this.ops.filter((op) => op.outcome === outcome && filter(op)).length;
  }
}
