import type { Operation } from './operation.js';
import type { Piece } from './shrink.js';

/** What an HTML report needs to draw a piece: one lane per client, one bar per operation. */
export interface TimelineData {
  key: string;
  clients: string[];
  /** Times are relative to the first call of the piece, in the history's unit (ms for recorded histories). */
  ops: {
    id: number;
    client: string;
    call: number;
    /** null: never returned (unknown outcome, "at infinity"). */
    ret: number | null;
    label: string;
    /** `pending`: still running at the cut of the piece, checked as if its answer was lost. */
    outcome: 'ok' | 'unknown' | 'pending';
    /** Position in the longest linearizable run (1-based), or null when it is not in it. */
    linearizedAs: number | null;
  }[];
  minimal: boolean;
  /** A window: the states the operations before it can leave (none lets the window be linearized). */
  initial?: string[];
}

export function timelineData<I, O>(key: string, piece: Piece<I, O>, describe: (input: I, output: O | undefined) => string): TimelineData {
  const t0 = Math.min(...piece.ops.map((op) => op.call));
  const pending = new Set(piece.pending);
  const order = new Map(piece.longest.map((id, i) => [id, i + 1]));
  const ops = [...piece.ops]
    .sort((a, b) => a.call - b.call || a.id - b.id)
    .map((op: Operation<I, O>) => ({
      id: op.id,
      client: op.client,
      call: op.call - t0,
      ret: op.ret === Infinity ? null : op.ret - t0,
      label: describe(op.input, op.output),
      outcome: pending.has(op.id) ? ('pending' as const) : op.output === undefined ? ('unknown' as const) : ('ok' as const),
      linearizedAs: order.get(op.id) ?? null,
    }));
  const clients = [...new Set(ops.map((op) => op.client))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { key, clients, ops, minimal: piece.minimal, ...(piece.initial ? { initial: piece.initial } : {}) };
}

/**
 * Per-client timelines as text: one row per operation in call order, its client, a bar over its
 * [call, return] interval on a shared time axis (`…` to the right edge: never returned), its
 * times and what it did; then the longest linearizable order and the operations left over.
 */
export function renderTimelines(data: TimelineData, width = 48, maxRows = 80): string {
  // A piece is a shortest prefix: what cannot be placed is at its end, so long ones show their last rows.
  const shown = data.ops.slice(-maxRows);
  const finite = shown.flatMap((op) => [op.call, ...(op.ret === null ? [] : [op.ret])]);
  const span = Math.max(1e-9, Math.max(...finite) - Math.min(...finite));
  const col = (t: number): number => Math.min(width - 1, Math.round((t / span) * (width - 1)));
  const clientWidth = Math.max(6, ...data.clients.map((c) => c.length));
  const fmt = (t: number | null): string => (t === null ? '∞' : Number.isInteger(t) ? String(t) : t.toFixed(1));
  const lines = [
    `key ${JSON.stringify(data.key)}: not linearizable — ${data.ops.length} operations, ${data.clients.length} clients${data.minimal ? '' : ' (not fully shrunk: budget ran out)'}`,
  ];
  if (data.initial)
    lines.push(
      `a window: the operations before it leave the key ${data.initial.length === 1 ? 'in' : 'in one of'}: ${data.initial.join(' | ')}`,
    );
  lines.push(`${'client'.padEnd(clientWidth)}  ${'time →'.padEnd(width)}  [call, return]  operation`);
  if (shown.length < data.ops.length)
    lines.push(`… ${data.ops.length - shown.length} earlier operations not shown (all are in the report's timeline data)`);
  const t0 = Math.min(...shown.map((op) => op.call));
  for (const op of shown) {
    const a = col(op.call - t0);
    const b = op.ret === null ? width - 1 : col(op.ret - t0);
    const bar =
      ' '.repeat(a) +
      (op.ret === null ? '├' + '┄'.repeat(Math.max(0, b - a - 1)) + '…' : b === a ? '│' : '├' + '─'.repeat(b - a - 1) + '┤');
    const tag = op.outcome === 'pending' ? ' (running at the cut)' : op.outcome === 'unknown' ? ' (outcome unknown)' : '';
    lines.push(`${op.client.padEnd(clientWidth)}  ${bar.padEnd(width)}  [${fmt(op.call)}, ${fmt(op.ret)}]  #${op.id} ${op.label}${tag}`);
  }
  const linearized = data.ops.filter((op) => op.linearizedAs !== null).sort((x, y) => x.linearizedAs! - y.linearizedAs!);
  const left = data.ops.filter((op) => op.linearizedAs === null && op.outcome === 'ok');
  if (linearized.length > 0)
    lines.push(
      `longest linearizable order: ${linearized.length > 30 ? '… ' : ''}${linearized
        .slice(-30)
        .map((op) => `#${op.id}`)
        .join(' ')}`,
    );
  if (left.length > 0)
    lines.push(
      `cannot be placed after it: ${left
        .slice(0, 10)
        .map((op) => `#${op.id} ${op.label}`)
        .join('; ')}${left.length > 10 ? `; … ${left.length - 10} more` : ''}`,
    );
  return lines.join('\n');
}
