/**
 * What running a command produced. A non-zero exit is an observation, not an exception: etcdctl
 * saying `Error: etcdserver: unhealthy cluster` is exactly what a drill wants to record.
 */
export interface CommandResult {
  /** The command as an operator would type it, secrets masked. */
  command: string;
  /** Where it ran: a member name, or `host`. */
  where: string;
  /** null when it did not finish (timed out, or the container could not run it). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  startedAt: string;
  timedOut: boolean;
  /** exitCode === 0 */
  ok: boolean;
}

/** Quote an argv the way a shell user would read it. */
export function renderCommand(argv: readonly string[], env: Record<string, string> = {}): string {
  const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
  const prefix = Object.entries(env).map(([k, v]) => `${k}=${q(v)}`);
  return [...prefix, ...argv.map(q)].join(' ');
}

/** The last non-empty line of stderr (or stdout): what an operator would read first. */
export function lastLine(r: Pick<CommandResult, 'stdout' | 'stderr'>): string {
  const lines = (r.stderr.trim() || r.stdout.trim()).split('\n');
  return lines[lines.length - 1] ?? '';
}
