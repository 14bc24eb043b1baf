import { Checks, fail, pass, type Verdict } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import type { Scenario, Step } from '../src/run/scenario.js';
import { dbShrank, fillUntilNoSpace, readRevision, recordDbSize } from '../src/runbook/quota-steps.js';
import { probeHealth } from '../src/runbook/health-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

// 8 MiB: about 80 puts of 100 KB fill it in seconds, and with 800 KB of live data compact + defrag
// give back most of it (ground truth used 16 MiB; the mechanism does not depend on the size).
const QUOTA = 8 * 1024 * 1024;

// Seed 001 runs every command from one host with every endpoint; etcd-1 plays that host.
const OPERATOR = Targets.named('etcd-1');

// The last line: 3.5's etcdctl prints its client retry log (JSON) before the `Error:` line.
const text = (r: CommandResult): string => lastLine(r);
/** An observed check over a saved etcdctl result. */
const saw = (name: string, key: string, judge: (r: CommandResult) => Verdict) =>
  Checks.observed(name, key, (v) => judge(v as CommandResult));

/** The recovery up to, not including, `alarm disarm`: also the whole pitfall. */
const COMPACT_AND_DEFRAG: Step[] = [
  Steps.etcdctl(OPERATOR, ['snapshot', 'save', '/backup/mysnapshot.db'], 'etcdctl snapshot save /backup/mysnapshot.db', {
    source: 'seed 001 §三.3 1) (备份数据)',
    saveAs: 'snapshot',
  }),
  readRevision(OPERATOR),
  Steps.etcdctl(OPERATOR, (ctx) => ['compact', String(ctx.vars.get('revision'))], 'etcdctl compact $revision (every endpoint)', {
    source: 'seed 001 §三.3 3) (compact); seed 002 场景二 2 (压缩当前版本之前的所有记录)',
    endpoints: 'all',
    saveAs: 'compact',
  }),
  Steps.etcdctl(OPERATOR, ['defrag'], 'etcdctl defrag (every endpoint)', {
    source: 'seed 001 §三.3 4) (defrag); seed 002 场景二 3 (清理多余的碎片空间)',
    endpoints: 'all',
    saveAs: 'defrag',
  }),
];

export const quotaExhaustion: Scenario = {
  id: 'quota-exhaustion',
  title: 'Fill the backend quota under concurrent writes; recover with compact, defrag and alarm disarm',
  source: { runbook: 'runbooks.md §4', seed: 'seed 001 §三.3, seed 002 场景二' },
  proves:
    'at the quota etcd refuses writes with "database space exceeded" and raises NOSPACE; compact + defrag shrink the db, and after alarm disarm writes work again with no acknowledged write lost',
  cluster: { flags: { 'quota-backend-bytes': QUOTA } },
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(10)],
  assumptions: [Checks.assumeAckedWrites(10)],
  fault: [
    fillUntilNoSpace(),
    Steps.etcdctl(OPERATOR, ['put', '/drill/after-quota', 'x'], 'etcdctl put once the quota is reached', {
      source: 'seed 002 场景二 问题现象 (报错: Error: etcdserver: mvcc: database space exceeded)',
      saveAs: 'put-nospace',
    }),
    Steps.etcdctl(OPERATOR, ['alarm', 'list'], 'etcdctl alarm list (every endpoint)', {
      source: 'seed 001 §三.3 5) (删除报警: the alarm that must be removed)',
      endpoints: 'all',
      saveAs: 'alarm-list',
    }),
    Steps.etcdctl(OPERATOR, ['get', '/name/1', '--print-value-only'], 'etcdctl get while NOSPACE is raised', {
      source: 'seed 001 §三.3 (超出后，集群无法进行写入: writes stop, reads do not)',
      saveAs: 'get-nospace',
    }),
    recordDbSize('db-size-full'),
    probeHealth(Targets.all(), 'health-nospace', { etcdctl: true, source: 'seed 004 (health probes); ground-truth.md §5, §13' }),
  ],
  runbook: [
    ...COMPACT_AND_DEFRAG,
    Steps.etcdctl(OPERATOR, ['--write-out=json', 'alarm', 'disarm'], 'etcdctl --write-out=json alarm disarm (every endpoint)', {
      source: 'seed 001 §三.3 5) (删除报警，必需删除); seed 002 场景二 4 (解除警告)',
      endpoints: 'all',
      saveAs: 'disarm',
    }),
  ],
  checks: [
    saw('writes are refused with "database space exceeded" at the quota', 'put-nospace', (r) =>
      !r.ok && /etcdserver: mvcc: database space exceeded/.test(r.stderr)
        ? pass(`refused: ${text(r)}`)
        : fail(`exit ${r.exitCode}: ${text(r)}`),
    ),
    saw('alarm list shows NOSPACE at the quota', 'alarm-list', (r) =>
      r.ok && /alarm:NOSPACE/.test(r.stdout)
        ? pass(r.stdout.trim().split('\n').join('; '))
        : fail(`exit ${r.exitCode}: ${text(r) || '(empty)'}`),
    ),
    saw('reads still work while NOSPACE is raised', 'get-nospace', (r) =>
      r.ok && r.stdout.trim() === 'test1' ? pass('get /name/1 → test1') : fail(`exit ${r.exitCode}: ${text(r)}`),
    ),
    // ground-truth.md §13: NOSPACE makes /health fail on every member, with the reason on 3.5.
    Checks.healthAnswers('/health while NOSPACE is raised: 503, health false (3.5: ALARM NOSPACE)', 'health-nospace', {
      '3.4': { status: 503, body: { health: 'false' } },
      '3.5': { status: 503, body: { health: 'false', reason: 'ALARM NOSPACE' } },
    }),
    dbShrank('db-size-full'),
    Checks.acceptsWrites(),
    // The size that filled the db: after disarm alone a small put may pass while a 100 KB put
    // re-raises NOSPACE (ground-truth.md §5), so only this one shows the space really came back.
    { ...Checks.acceptsWrites(100 * 1024), name: 'cluster accepts a 100 KB write' },
    Checks.noAlarms(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.membersHealthy(),
  ],
  pitfall: {
    title: 'compact and defrag, but skip `alarm disarm`',
    source: 'seed 001 §三.3 5) (必需删除，否则集群仍然无法使用: without disarm the cluster still cannot be used)',
    runbook: COMPACT_AND_DEFRAG,
    // The armed alarm refuses every put whatever the db size, and /health answers 503 with NOSPACE
    // on both versions (ground-truth.md §5, §13): these fail in every run, while "db size shrank"
    // passes, showing that the space came back and only the alarm keeps the cluster read-only.
    mustFail: ['cluster accepts writes', 'cluster accepts a 100 KB write', 'no alarms', 'every member healthy'],
  },
  seedClaims: [
    {
      seed: 'seed 002 场景二 问题现象',
      claim: 'PUT 报错 `Error: etcdserver: mvcc: database space exceeded`, 集群不可写 (the put fails, the cluster cannot be written)',
      reality:
        'the puts whose apply crosses the quota are answered `database space exceeded` and yet applied (found on every member afterwards: etcd quotaApplierV3 writes, then returns ErrNoSpace); only once NOSPACE is raised are puts really refused. The fill step counts them ("puts refused with NOSPACE but applied")',
    },
    {
      seed: 'seed 001 §三.3 2)',
      claim: '`endpoint status --write-out=json | grep -o \'"revision":[0-9]*\'` gives the revision to pass to `compact $revision`',
      reality:
        'with every endpoint it prints one line per endpoint ("revision":N once per member), so $revision is not one number; any of them works once the members have caught up (the harness compacts at the highest)',
    },
  ],
};
