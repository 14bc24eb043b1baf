import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// (fast-check's own runner inside vitest: @fast-check/vitest is not a dependency.)
import { checkKvHistory } from '../../src/checker/check-kv-history.js';
import { generateKvHistory } from '../../src/checker/generate-history.js';
import { renderTimelines, timelineData } from '../../src/checker/render.js';
import { describeKv } from '../../src/checker/kv-types.js';
import { kvModel, type KeyState } from '../../src/checker/kv-model.js';
import { searchPartition } from '../../src/checker/partition-search.js';
import { withInitial } from '../../src/checker/shrink.js';

const params = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  ops: fc.integer({ min: 1, max: 150 }),
  clients: fc.integer({ min: 1, max: 8 }),
  keys: fc.integer({ min: 1, max: 4 }),
  // Few lost answers, as in a real run: each pending write can double the search on a violation.
  unknownRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
  overlap: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('property: histories from a sequential model', () => {
  it('are linearizable', () => {
    fc.assert(
      fc.property(params, (p) => {
        const { ops } = generateKvHistory(p);
        expect(checkKvHistory(ops, { budgetMs: 30_000, shrinkMs: 0 }).status).toBe('ok');
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('are not linearizable once one read answers a value never written, and the piece shows that read', () => {
    fc.assert(
      fc.property(params, fc.nat(), (p, which) => {
        const { ops } = generateKvHistory(p);
        const reads = ops.filter((op) => op.input.type === 'get' && !op.input.serializable && op.output !== undefined);
        fc.pre(reads.length > 0);
        const victim = reads[which % reads.length]!;
        const mutated = ops.map((op) =>
          op === victim ? { ...op, output: { ...op.output, exists: true, value: 'never-written', modRevision: undefined } } : op,
        );
        const r = checkKvHistory(mutated, { budgetMs: 30_000, shrinkMs: 1_000 });
        expect(r.status).toBe('illegal');
        expect(r.failing?.key).toBe(victim.input.key);
        const piece = r.failing!.piece;
        expect(piece.ops.map((op) => op.id)).toContain(victim.id);
        // The piece is evidence on its own (a window: from every state the operations before it can leave).
        const start = withInitial(kvModel, (piece.initialStates as KeyState[] | undefined) ?? kvModel.init());
        expect(searchPartition(start, piece.ops, performance.now() + 30_000).status).toBe('illegal');
        expect(renderTimelines(timelineData(r.failing!.key, piece, describeKv))).toContain('never-written');
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
