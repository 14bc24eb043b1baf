import { hostname } from 'node:os';

/** Every Docker object the harness creates carries these labels; nothing without them is touched. */
export const LABEL_TOOL = 'io.etcd-firedrill.tool';
export const LABEL_RUN = 'io.etcd-firedrill.run';
/** `<hostname>:<pid>` of the process that owns the run, so `reap` can tell live runs from leftovers. */
export const LABEL_OWNER = 'io.etcd-firedrill.owner';
export const LABEL_MEMBER = 'io.etcd-firedrill.member';
/** On our images only; deliberately not LABEL_TOOL, which containers would inherit. */
export const LABEL_IMAGE = 'io.etcd-firedrill.image';
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

/**
 * Docker API filter that matches only objects of our runs (optionally one run). It requires the run
 * label too: an image label can never supply it, so a container someone started by hand from one
 * of our images is not ours to remove.
 */
export function labelFilter(runId?: string): { label: string[] } {
  return { label: [`${LABEL_TOOL}=${TOOL}`, runId ? `${LABEL_RUN}=${runId}` : LABEL_RUN] };
}
