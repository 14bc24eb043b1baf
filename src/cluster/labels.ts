import { hostname } from 'node:os';

/** Every Docker object the harness creates carries these labels; nothing without them is touched. */
export const LABEL_TOOL = 'io.etcd-firedrill.tool';
export const LABEL_RUN = 'io.etcd-firedrill.run';
/** `<hostname>:<pid>` of the process that owns the run, so `reap` can tell live runs from leftovers. */
export const LABEL_OWNER = 'io.etcd-firedrill.owner';
export const LABEL_MEMBER = 'io.etcd-firedrill.member';
export const TOOL = 'etcd-firedrill';

export type Labels = Record<string, string>;

/** Labels for an object that belongs to run `runId` (and optionally to one member). */
export function runLabels(runId: string, member?: string): Labels {
  const labels: Labels = {
    [LABEL_TOOL]: TOOL,
    [LABEL_RUN]: runId,
    [LABEL_OWNER]: `${hostname()}:${process.pid}`,
  };
  if (member) labels[LABEL_MEMBER] = member;
  return labels;
}

/** Docker API filter that matches only our objects, optionally of one run. */
export function labelFilter(runId?: string): { label: string[] } {
  return { label: runId ? [`${LABEL_TOOL}=${TOOL}`, `${LABEL_RUN}=${runId}`] : [`${LABEL_TOOL}=${TOOL}`] };
}
