/**
 * Linearizability checker benchmark: `npx tsx bench/checker.ts [--runs 5]`. Times the checker on
 * generated linearizable histories of 10k operations from 8 clients (one key, and 8 keys, with 2%
 * lost answers), and on the 103 Jepsen etcd histories (verdicts compared with porcupine's). Numbers
 * are printed, never asserted: the machine is shared.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkKvHistory } from '../src/checker/check-kv-history.js';
import { generateKvHistory } from '../src/checker/generate-history.js';
import { parseJepsenLog } from '../src/checker/jepsen-log.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

for (const keys of [1, 8]) {
  const times: number[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const { ops } = generateKvHistory({ ops: 10_000, clients: 8, keys, seed });
    const t = performance.now();
    const r = checkKvHistory(ops, { budgetMs: 60_000, shrinkMs: 0 });
    times.push(performance.now() - t);
    if (r.status !== 'ok') console.log(`  seed ${seed}: ${r.status} (expected ok)`);
  }
  console.log(
    `10k ops, 8 clients, ${keys} key(s): median ${ms(median(times))}, min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))} over ${runs} histories (target < 1 s)`,
  );
}

const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), '..', 'shared', 'histories', 'jepsen-etcd');
const verdicts = new Map(
  readFileSync(join(dir, 'verdicts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t') as [string, string]),
);
const totals: number[] = [];
let mismatches = 0;
let slowest = { file: '', ms: 0 };
for (let run = 0; run < runs; run++) {
  const t0 = performance.now();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    const ops = parseJepsenLog(readFileSync(join(dir, file), 'utf8'));
    const t = performance.now();
    const r = checkKvHistory(ops, { budgetMs: 60_000, shrinkMs: 0 });
    const took = performance.now() - t;
    if (took > slowest.ms) slowest = { file, ms: took };
    const got = r.status === 'ok' ? 'linearizable' : r.status === 'illegal' ? 'not-linearizable' : 'unknown';
    const want = verdicts.get(file);
    if (run === 0 && want && want !== got) mismatches++;
  }
  totals.push(performance.now() - t0);
}
console.log(
  `Jepsen etcd set (103 histories, parse + check): median ${ms(median(totals))} over ${runs} runs; slowest history ${slowest.file} ${ms(slowest.ms)}; ${mismatches} verdicts differ from porcupine's`,
);
