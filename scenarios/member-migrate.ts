import { Checks, fail, pass, unknown } from '../src/checks/index.js';
import { converge } from '../src/checks/converge.js';
import { memberList, rangePrefix } from '../src/cluster/gateway.js';
import type { Check, Scenario, Step } from '../src/run/scenario.js';
import { memberUpdate, moveDataDir, stopAs, writeWhileDown } from '../src/runbook/migrate-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

// The member that moves to a new host: a follower, so the drill is about the move, not an election.
const MOVED = 'moved member';
const it = Targets.ref(MOVED);
const DOWN_PREFIX = '/while-down/';

const withSource = (step: Step, source: string): Step => ({ ...step, source });

/** Every member lists the moved member (same ID) at its new peer URL: the cluster knows where it is. */
function listedAtNewUrl(): Check {
  return {
    name: 'member list shows the moved member at its new peer URL',
    async run(ctx) {
      const id = ctx.vars.get(`${MOVED}-old-id`) as string | undefined;
      const url = ctx.vars.get(`${MOVED}-new-peer-url`) as string | undefined;
      const oldUrl = ctx.vars.get(`${MOVED}-old-peer-url`) as string | undefined;
      if (!id || !url) return unknown('the move did not record the member ID and its new peer URL');
      const seen = await Promise.all(
        ctx.cluster.members.map(async (m) => {
          const row = (await memberList(m.clientUrl).catch(() => undefined))?.find((x) => x.id === id);
          return { on: m.name, peerUrls: row?.peerUrls, clientUrls: row?.clientUrls };
        }),
      );
      const wrong = seen.filter((s) => s.peerUrls?.join(',') !== url);
      if (wrong.length)
        return fail(
          `${wrong.map((s) => `${s.on} lists ${id} at ${s.peerUrls?.join(',') ?? '(not listed)'}`).join('; ')}; it runs at ${url} (was ${oldUrl})`,
          seen,
        );
      return pass(`all ${seen.length} members list ${id} at ${url}, client URL ${seen[0]?.clientUrls?.join(',') ?? '-'}`, seen);
    },
  };
}

/** The writes made while the member was down are on it: it caught up from its peers after the move. */
function caughtUp(): Check {
  return {
    name: 'writes made while it was down are on the moved member',
    async run(ctx) {
      const [m] = ctx.ref(MOVED);
      if (!m) return unknown('no moved member recorded');
      const acked = ctx.history.ops.filter((o) => o.outcome === 'ok' && o.key.startsWith(DOWN_PREFIX));
      if (acked.length === 0) return unknown(`no write under ${DOWN_PREFIX} was acknowledged`);
      await converge(ctx, ctx.cluster.members);
      const { kvs } = await rangePrefix(m.clientUrl, DOWN_PREFIX, { serializable: true });
      const have = new Map(kvs.map((kv) => [kv.key, kv.value]));
      const missing = acked.filter((o) => have.get(o.key) !== o.value);
      return missing.length
        ? fail(`${missing.length} of ${acked.length} missing on ${m.name} (${m.ip}), e.g. ${missing[0]!.key}`)
        : pass(`all ${acked.length} acknowledged writes made while it was down are on ${m.name} at ${m.ip}`);
    },
  };
}

const moveSteps: Step[] = [
  stopAs(Targets.followers(1), MOVED, 'seed 003 §3.1 step 1 (kill `pgrep etcd`)'),
  writeWhileDown(50, DOWN_PREFIX, MOVED, 'ground-truth.md §10 (50 more keys on the others while it is down)'),
  moveDataDir(it, MOVED, 'seed 003 §3.1 step 2 (tar -cvzf the data dir, scp it to the new host)'),
];

const startThere: Step[] = [
  Steps.start(it, undefined, 'seed 003 §3.1 step 4 (etcd -name infra1 on the new host with the copied data dir)'),
  Steps.waitReady('moved member healthy, cluster ready'),
  Steps.etcdctl(Targets.all(), ['endpoint', 'health'], 'etcdctl endpoint health on every member', { endpoints: 'all' }),
  Steps.etcdctl(Targets.all(), ['member', 'list'], 'etcdctl member list', { source: 'seed 003 §3.1 (member list)' }),
];

export const memberMigrate: Scenario = {
  id: 'member-migrate',
  title: 'Move a member to a new host by copying its data dir, member update of its peer URL',
  source: { runbook: 'runbooks.md §10', seed: 'seed 003 §3.1 (迁移节点)' },
  proves:
    'a member stopped, its data dir copied to a new host and its peer URL updated keeps its member ID and every acknowledged write (incl. those made while it was down); every member lists it at its new peer URL',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(100), withSource(Steps.startWorkload(), 'runbooks.md §10 (writes go on while it moves)')],
  assumptions: [Checks.assumeAckedWrites(100)],
  // A planned move: nothing breaks first.
  fault: [],
  runbook: [
    ...moveSteps,
    memberUpdate(it, MOVED, 'seed 003 §3.1 step 3 (etcdctl member update <id> <new peer url>), seed 003 §2.1'),
    ...startThere,
  ],
  checks: [
    Checks.membersHealthy(5000),
    Checks.memberId(MOVED, 'same'),
    listedAtNewUrl(),
    caughtUp(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'start the member on its new host without member update',
    source: 'seed 003 §3.1 step 3 skipped (通过集群运行时更改的更新操作，改变节点的 peerURLs)',
    runbook: [...moveSteps, ...startThere],
    // Measured (ground-truth.md §10): it works anyway, the peers accept the streams it opens, but
    // the cluster's member list keeps the old peer URL, which misleads every later `member add`.
    mustFail: ['member list shows the moved member at its new peer URL'],
  },
  asWritten: {
    title: "seed 003's member update line: the peer URL as a positional argument",
    source: 'seed 003 §3.1 step 3 and §2.1',
    quote: 'etcdctl member update b4db3bf5e495e255 http://10.0.1.13:2380',
    runbook: [
      ...moveSteps,
      memberUpdate(it, MOVED, 'seed 003 §3.1 step 3 (etcdctl member update <id> <url>, as written)', (url) => [url]),
      ...startThere,
    ],
    // etcdctl v3 (the default API of 3.4 and 3.5) takes the URL only as --peer-urls: the seed's
    // line is refused, and a runbook stops where its command fails.
    mustFail: ['every member healthy', 'member list shows the moved member at its new peer URL'],
  },
  seedClaims: [
    {
      seed: 'seed 003 §3.1 step 3, §2.1',
      claim: '`etcdctl member update b4db3bf5e495e255 http://10.0.1.13:2380`',
      reality:
        'that is the v2 etcdctl syntax; etcdctl v3 (the default API of 3.4 and 3.5) refuses it with "Error: member ID is not provided" and takes the URL only as --peer-urls=<url> (seed 003 also gives the v2 HTTP API: PUT /v2/members/<id>, which needs --enable-v2)',
    },
    {
      seed: 'seed 003 §3.1',
      claim: 'the peer URL must be changed with member update before starting on the new host',
      reality:
        'it joins and serves without member update too (the peers accept the streams it opens), but member list keeps the old peer URL until member update; its client URL updates itself when it starts',
    },
  ],
};
