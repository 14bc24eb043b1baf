/** pass / fail / unknown, with a message a person can read and details for the report. */
export type VerdictStatus = 'pass' | 'fail' | 'unknown';

export interface Verdict {
  status: VerdictStatus;
  message: string;
  details?: unknown;
}

export const pass = (message: string, details?: unknown): Verdict => ({ status: 'pass', message, details });
export const fail = (message: string, details?: unknown): Verdict => ({ status: 'fail', message, details });
export const unknown = (message: string, details?: unknown): Verdict => ({ status: 'unknown', message, details });

/** fail beats unknown beats pass (Jepsen's merge-valid). An empty list is unknown: nothing was checked. */
export function worst(statuses: readonly VerdictStatus[]): VerdictStatus {
  if (statuses.length === 0) return 'unknown';
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('unknown')) return 'unknown';
  return 'pass';
}
