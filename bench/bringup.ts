/**
 * Cluster bring-up benchmark (`npm run bench`). It times `startCluster()` until the cluster is ready,
 * and compares that with the same containers started by plain `docker` CLI commands. The difference
 * is the harness's own overhead, not Docker's or etcd's. Both sides are waited on by the same
 * waitForClusterReady() and run interleaved in one process, so they share the machine's noise.
 * Results are only measured and reported: a target that is not met is printed, never asserted.
 *
 *   npm run bench -- [--versions 3.4,3.5] [--sizes 3,5] [--runs 5] [--timing production|fast]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { $ } from 'zx';
import { ETCD_VERSIONS, isEtcdVersion, type EtcdVersion } from '../docker/etcd-versions.js';
import { MAX_MEMBERS, MIN_MEMBERS, TIMING_PROFILES, resolveClusterSpec, type TimingProfile } from '../src/cluster/cluster-spec.js';
import { assertDockerReachable, docker } from '../src/cluster/docker-client.js';
import { BACKUP_MOUNT, VOLUME_MOUNT, bootstrapFlags, clientUrl, renderFlags, type MemberAddress } from '../src/cluster/etcd-flags.js';
import { runLabels, type Labels } from '../src/cluster/labels.js';
import { memberIp } from '../src/cluster/network.js';
import { reap } from '../src/cluster/reaper.js';
import { newRunId } from '../src/cluster/run-id.js';
import { ensureImage, startCluster } from '../src/cluster/start-cluster.js';
import { teardownOnSignal } from '../src/cluster/teardown-on-signal.js';
import { waitForClusterReady } from '../src/cluster/wait-ready.js';
import { FiredrillError, InputError } from '../src/run/errors.js';

type Scenario = { members: number; version: EtcdVersion; timing: TimingProfile };
type Sample = { scenario: string; kind: 'harness' | 'raw'; run: number; runId: string; readyMs: number; teardownMs: number };
type Stats = { median: number; min: number; max: number };

const TARGET_RATIO = 1.1;
const TARGET_FAST_MS = 1000;
const USAGE = 'usage: tsx bench/bringup.ts [--versions 3.4,3.5] [--sizes 3,5] [--runs 5] [--timing production|fast]';
// `run` throws on a non-zero exit (bring-up); `sh` doesn't (teardown checks every exit code itself).
const run = $({ quiet: true });
const sh = $({ quiet: true, nothrow: true });

const label = (s: Scenario): string => `${s.members} members ${s.version} ${s.timing}`;
const labelArgs = (labels: Labels): string[] => Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

function options(): { runs: number; scenarios: Scenario[] } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        version: { type: 'string', multiple: true },
        versions: { type: 'string', multiple: true },
        sizes: { type: 'string' },
        runs: { type: 'string' },
        timing: { type: 'string' },
      },
    }));
  } catch (e) {
    throw new InputError((e as Error).message, USAGE);
  }
  const list = (xs: string[]): string[] =>
    xs
      .join(',')
      .split(/\s*,\s*/)
      .filter(Boolean);
  const given = list([...(values.version ?? []), ...(values.versions ?? [])]);
  const versions = given.length ? [...new Set(given)] : Object.keys(ETCD_VERSIONS);
  for (const v of versions) {
    if (!isEtcdVersion(v)) throw new InputError(`unknown etcd version "${v}"`, `use --versions ${Object.keys(ETCD_VERSIONS).join(',')}`);
  }
  const sizes = [...new Set(list([values.sizes ?? '3,5']).map(Number))];
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < MIN_MEMBERS || n > MAX_MEMBERS) {
      throw new InputError(`cluster size "${n}" is not possible`, `use --sizes with ${MIN_MEMBERS}-${MAX_MEMBERS}, e.g. 3,5`);
    }
  }
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new InputError(`--runs "${values.runs}" is not a positive integer`, USAGE);
  const timing = values.timing ?? 'production';
  if (!Object.hasOwn(TIMING_PROFILES, timing)) throw new InputError(`unknown timing profile "${timing}"`, USAGE);
  const scenarios: Scenario[] = [];
  const add = (s: Scenario): void => {
    if (!scenarios.some((x) => label(x) === label(s))) scenarios.push(s);
  };
  for (const v of versions as EtcdVersion[]) for (const n of sizes) add({ members: n, version: v, timing: timing as TimingProfile });
  // The "fast profile, 3 members, ready in 1 s" target is always reported, whatever was asked.
  for (const v of versions as EtcdVersion[]) add({ members: 3, version: v, timing: 'fast' });
  return { runs, scenarios };
}

async function harnessRun(s: Scenario, n: number): Promise<Sample> {
  const t0 = performance.now();
  const cluster = await startCluster({ members: s.members, version: s.version, timing: s.timing });
  const readyMs = performance.now() - t0;
  const t1 = performance.now();
  await cluster.stop();
  return { scenario: label(s), kind: 'harness', run: n, runId: cluster.runId, readyMs, teardownMs: performance.now() - t1 };
}

/** Creates an internal bridge on a free 10.214.X.0/24. The harness uses 10.213/16, so the two never collide. */
async function rawNetwork(name: string, labels: string[]): Promise<string> {
  const hostNets = Object.values(networkInterfaces()).flat();
  const taken = new Set(hostNets.flatMap((a) => (a?.family === 'IPv4' ? [a.address.split('.').slice(0, 3).join('.')] : [])));
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const prefix = `10.214.${Math.floor(Math.random() * 250) + 1}`;
    if (taken.has(prefix)) continue;
    const r = await sh`docker network create --driver bridge --internal --subnet ${prefix}.0/24 --gateway ${prefix}.1 ${labels} ${name}`;
    if (r.exitCode === 0) return prefix;
    last = r.stderr.trim();
    if (!/overlap|in use/i.test(last)) break;
  }
  throw new Error(`docker network create ${name} failed: ${last}`);
}

/** Like Promise.all, but rejects only once every task has settled, so teardown never races a `docker run` still in flight. */
async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The baseline: what an operator would type. Same image, names, IPs, mounts, labels and flags as the harness. */
async function rawRun(s: Scenario, n: number): Promise<Sample> {
  const runId = newRunId();
  const spec = resolveClusterSpec({ members: s.members, version: s.version, timing: s.timing });
  const made = { network: '', containers: [] as string[], volumes: [] as string[] };
  // Ctrl-C mid-sample: sweep this run by label, as the harness does for its own runs.
  const unregister = teardownOnSignal(async () => void (await reap({ runId, force: true })));
  let readyMs = NaN;
  let teardownMs = NaN;
  let clean = false;
  const t0 = performance.now();
  try {
    const network = `firedrill-${runId}`;
    const prefix = await rawNetwork(network, labelArgs(runLabels(runId)));
    made.network = network;
    const backup = `firedrill-${runId}-backup`;
    made.volumes.push(backup);
    await run`docker volume create ${labelArgs(runLabels(runId))} ${backup}`;
    const all: MemberAddress[] = Array.from({ length: s.members }, (_, i) => ({ name: `etcd-${i + 1}`, ip: memberIp(prefix, i + 1) }));
    await settleAll(
      all.map(async (m) => {
        const volume = `firedrill-${runId}-${m.name}-data`;
        const container = `firedrill-${runId}-${m.name}`;
        const labels = labelArgs(runLabels(runId, m.name));
        // Recorded before the command: a failed `docker run` can still leave the object behind.
        made.volumes.push(volume);
        await run`docker volume create ${labels} ${volume}`;
        made.containers.push(container);
        const flags = renderFlags(bootstrapFlags(spec, m, all, `firedrill-${runId}`));
        await run`docker run -d --name ${container} --hostname ${m.name} --network ${network} --ip ${m.ip} --stop-timeout 10 ${labels} -v ${volume}:${VOLUME_MOUNT} -v ${backup}:${BACKUP_MOUNT} ${spec.image} etcd ${flags}`;
      }),
    );
    await waitForClusterReady(all.map(clientUrl));
    readyMs = performance.now() - t0;
  } finally {
    const t1 = performance.now();
    const results = [];
    if (made.containers.length) results.push(await sh`docker rm -f ${made.containers}`);
    if (made.network) results.push(await sh`docker network rm ${made.network}`);
    if (made.volumes.length) results.push(await sh`docker volume rm ${made.volumes}`);
    teardownMs = performance.now() - t1;
    clean = results.every((r) => r.exitCode === 0);
    // The CLI teardown left something (or a bring-up step failed half-way): sweep by label, untimed.
    if (!clean) await reap({ runId, force: true }).catch(() => {});
    unregister();
  }
  if (!clean) throw new Error(`raw teardown of run ${runId} failed; its objects were swept by label instead`);
  return { scenario: label(s), kind: 'raw', run: n, runId, readyMs, teardownMs };
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

function summarize(scenarios: Scenario[], samples: Sample[]) {
  return scenarios.flatMap((s) => {
    const of = (kind: Sample['kind']): Sample[] => samples.filter((x) => x.scenario === label(s) && x.kind === kind);
    const [h, r] = [of('harness'), of('raw')];
    if (!h.length || !r.length) return [];
    const harness = { ready: stats(h.map((x) => x.readyMs)), teardown: stats(h.map((x) => x.teardownMs)) };
    const raw = { ready: stats(r.map((x) => x.readyMs)), teardown: stats(r.map((x) => x.teardownMs)) };
    return [{ scenario: label(s), ...s, runs: h.length, harness, raw, ratio: harness.ready.median / raw.ready.median }];
  });
}

function printTable(summary: ReturnType<typeof summarize>): void {
  const ms = (x: number): string => String(Math.round(x));
  const trio = (t: Stats): string => `${ms(t.median)} / ${ms(t.min)} / ${ms(t.max)}`;
  const rows = [
    ['scenario', 'runs', 'harness ready med/min/max ms', 'raw ready med/min/max ms', 'harness/raw', 'teardown med harness/raw ms'],
    ...summary.map((x) => [
      x.scenario,
      String(x.runs),
      trio(x.harness.ready),
      trio(x.raw.ready),
      x.ratio.toFixed(2),
      `${ms(x.harness.teardown.median)} / ${ms(x.raw.teardown.median)}`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '));
}

function targets(summary: ReturnType<typeof summarize>) {
  const ratio = `harness/raw ready median <= ${TARGET_RATIO}`;
  const fast = `fast profile, 3 members, harness ready median <= ${TARGET_FAST_MS} ms`;
  return [
    ...summary.map((x) => ({ target: ratio, scenario: x.scenario, value: Number(x.ratio.toFixed(3)), met: x.ratio <= TARGET_RATIO })),
    ...summary
      .filter((x) => x.timing === 'fast' && x.members === 3)
      .map((x) => ({
        target: fast,
        scenario: x.scenario,
        value: Math.round(x.harness.ready.median),
        met: x.harness.ready.median <= TARGET_FAST_MS,
      })),
  ];
}

async function main(): Promise<void> {
  const { runs, scenarios } = options();
  await assertDockerReachable();
  // A missing image is built now, before any clock starts, rather than inside the first harness sample.
  for (const v of new Set(scenarios.map((s) => s.version))) await ensureImage(resolveClusterSpec({ version: v }), (l) => console.log(l));
  const engine = await docker().version();
  const startedAt = new Date();
  const samples: Sample[] = [];
  const env = { node: process.version, docker: engine.Version, cpus: cpus().length, loadavgAtStart: loadavg() };
  let complete = false;
  try {
    console.log(`bring-up bench: ${runs} run(s) of ${scenarios.map(label).join(', ')}; load average ${loadavg().join(' ')}`);
    for (const s of scenarios) {
      for (let n = 1; n <= runs; n++) {
        // Each run takes one sample of each kind, and the order flips every run, so neither kind
        // always comes straight after the other's teardown.
        const order = n % 2 ? [harnessRun, rawRun] : [rawRun, harnessRun];
        const pair: Sample[] = [];
        for (const f of order) pair.push(await f(s, n));
        samples.push(...pair);
        console.log(`  ${label(s)} run ${n}/${runs}: ${pair.map((x) => `${x.kind} ${Math.round(x.readyMs)} ms`).join(', ')}`);
      }
    }
    complete = true;
  } finally {
    // Written even when a sample fails, so a broken run still leaves what it measured.
    const summary = summarize(scenarios, samples);
    const met = targets(summary);
    if (complete) {
      console.log('');
      printTable(summary);
      console.log('\ntargets:');
      for (const t of met) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.scenario} = ${t.value}`);
    }
    const stamp = startedAt.toISOString().replace(/[-:]|\.\d+/g, ''); // ISO 8601 basic (20261121T120515Z): no ':' in file names
    const dir = fileURLToPath(new URL('../reports/bench/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bringup-${stamp}.json`);
    const times = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString() };
    const report = { ...times, complete, runs, env: { ...env, loadavgAtEnd: loadavg() }, scenarios, samples, summary, targets: met };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nresults: ${relative(process.cwd(), file)}`);
  }
}

try {
  await main();
} catch (e) {
  // Our own errors (Docker down, bad option, cluster not ready) are one line; anything else is a bug.
  if (e instanceof FiredrillError) {
    process.stderr.write(`firedrill bench: ${e.toLine()}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}
