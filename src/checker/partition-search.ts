import type { Model, Operation } from './operation.js';
import { searchLinearization, type SearchResult } from './search.js';

/**
 * Searches one partition with both candidate orders in turn, each with a step limit that grows
 * fourfold per round, until one of them decides or the deadline passes. Measured on the Jepsen
 * set and on generated histories: `returned-first` decides violations with many pending writes in
 * milliseconds where `call` takes seconds, and `call` decides long linearizable histories whose
 * pending writes did apply where `returned-first` takes seconds; together they cost a few times
 * the better one. The first limits: a violation is usually found within a few steps per
 * operation; a linearizable history takes some 15-25 per operation in `call` order.
 */
export function searchPartition<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], deadline: number): SearchResult {
  let steps = 0;
  let limits = { 'returned-first': 4 * ops.length + 4096, call: 32 * ops.length + 4096 };
  for (;;) {
    for (const order of ['call', 'returned-first'] as const) {
      const r = searchLinearization(model, ops, { deadline, order, maxSteps: limits[order] });
      steps += r.steps;
      if (r.status !== 'unknown') return { ...r, steps };
      if (performance.now() > deadline) return { status: 'unknown', steps };
    }
    limits = { 'returned-first': 4 * limits['returned-first'], call: 4 * limits.call };
  }
}
