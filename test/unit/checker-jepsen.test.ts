import { describe, expect, it } from 'vitest';
import { checkKvHistory } from '../../src/checker/check-kv-history.js';
import { parseJepsenLog } from '../../src/checker/jepsen-log.js';
import { jepsenFiles } from './jepsen-histories.js';

describe('the checker on real etcd histories recorded by Jepsen (porcupine test data)', () => {
  const files = jepsenFiles();

  it('has the 103 histories and 102 published verdicts (23 linearizable, 79 not)', () => {
    expect(files).toHaveLength(103);
    const verdicts = files.flatMap((f) => (f.verdict ? [f.verdict] : []));
    expect(verdicts.filter((v) => v === 'linearizable')).toHaveLength(23);
    expect(verdicts.filter((v) => v === 'not-linearizable')).toHaveLength(79);
  });

  it("matches porcupine's verdict on every history", () => {
    const t0 = performance.now();
    const mismatches: string[] = [];
    for (const { file, text, verdict } of files) {
      const result = checkKvHistory(parseJepsenLog(text), { budgetMs: 60_000, shrinkMs: 0 });
      const got = result.status === 'ok' ? 'linearizable' : result.status === 'illegal' ? 'not-linearizable' : 'unknown';
      if (verdict && got !== verdict) mismatches.push(`${file}: porcupine says ${verdict}, we say ${got}`);
      if (!verdict) expect(got).not.toBe('unknown');
    }
    // Measured, not asserted: the machine is shared.
    console.log(`checked ${files.length} Jepsen histories in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('parses every line: invokes, oks, fails, infos; an operation still open at the end returns at infinity', () => {
    const ops = parseJepsenLog(files.find((f) => f.file === 'etcd_000.log')!.text);
    expect(ops.length).toBeGreaterThan(50);
    expect(ops[0]).toMatchObject({ client: '0', input: { type: 'get', key: 'r' }, output: { exists: false } });
    const cas = ops.find((op) => op.input.type === 'cas' && op.output?.succeeded === false);
    expect(cas?.input).toMatchObject({ compare: { on: 'value' } });
    expect(ops.some((op) => op.ret === Infinity && op.output === undefined)).toBe(true);
  });

  it('rejects a line that is not a Jepsen event, naming it', () => {
    expect(() => parseJepsenLog('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nnonsense')).toThrow(
      /line 2: not a Jepsen history event: nonsense/,
    );
  });
});
