import { rangePrefix, memberList } from '../cluster/gateway.js';
import { quorumOf } from '../cluster/quorum.js';
import { fetchMemberStatus } from '../cluster/member-status.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { Targets } from '../targets/targets.js';
import { start } from './member-steps.js';
import { awaitSelfExit, memberRemove } from './membership-steps.js';
import { UNHEALTHY_RETRY } from './peer-status.js';
import { listedRow, livePeer, one } from './replace-steps.js';
import { memberIdFromMemberAdd } from './member-add-output.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A long log line's head and tail: etcd puts the reason (`no match found …`) after a long cluster dump. */
const ends = (text: string): string => (text.length > 400 ? `${text.slice(0, 100)} … ${text.slice(-300)}` : text);

/** What the cluster looked like after one reconfiguration: the quorum check judges a list of these. */
export interface Stage {
  label: string;
  /** How many members `member list` shows (voting members: no learners here), and how many of them answer. */
  listed: number;
  answering: number;
  quorum: number;
  /** Seed keys each running member holds (serializable read), by member name. */
  seedKeys: Record<string, number | string>;
}

/** What a cluster answered while a registered member had not started yet. */
export interface JoinWindow {
  member: string;
  voting: number;
  running: number;
  /** Whether a put through a running member succeeded (2 s deadline), and what it said otherwise. */
  put: { ok: boolean; error?: string; ms: number };
  /** `/health` of the running members. */
  health: Record<string, string>;
  /** The row `member list` shows for it: `unstarted`, no name. */
  listedAs?: string;
}

/**
 * A new host (`cluster.addMember`: next free IP, created, not started), registered with
 * `etcdctl member add <name> --peer-urls=<url>` on a live member (seed 003 §2.3 step 1). Retries
 * while etcd answers `unhealthy cluster` (bounded) and measures how long it refused. Remembers the
 * new member as `ref`, its ID as `<ref>-new-id` and when it was accepted as `<ref>-added-at`.
 */
export function registerNewMember(ref: string, source?: string): Step {
  return {
    name: `etcdctl member add <new member> --peer-urls=<its peer url> (new host)`,
    source,
    async run(ctx) {
      // A healthy member if there is one; without quorum none is, and etcd itself must say no.
      const via = await livePeer(ctx).catch(async () => {
        for (const x of ctx.cluster.members) if ((await x.state()) === 'running') return x;
        throw new Error('no running member to run etcdctl on');
      });
      const m = await ctx.cluster.addMember();
      ctx.refs.set(ref, [m]);
      const t0 = ctx.now();
      const r = await ctx.retryEtcdctl(via, ['member', 'add', m.name, `--peer-urls=${m.peerUrl}`], UNHEALTHY_RETRY);
      const refusedMs = ctx.now() - t0;
      if (!r.ok) throw new Error(`member add ${m.name} refused on ${via.name}: ${r.stderr.trim().split('\n').pop()}`);
      ctx.vars.set(`${ref}-added-at`, ctx.now());
      const id = memberIdFromMemberAdd(r.stdout);
      if (id) ctx.vars.set(`${ref}-new-id`, id);
      const attempts = ctx.current?.commands.length ?? 1;
      ctx.metric(`member add ${m.name}: accepted after`, refusedMs);
      ctx.note(
        `${m.name} at ${m.ip} registered as ${id ?? '?'}, accepted at attempt ${attempts}, ${Math.round(refusedMs)} ms after the first`,
      );
    },
  };
}

/**
 * While the member `ref` is registered but not started: a put (2 s deadline) through a running
 * member, `/health` of each running member, its `member list` row. Appends a JoinWindow to `saveAs`.
 */
export function probeJoinWindow(ref: string, saveAs: string, source?: string): Step {
  return {
    name: `while the new member is registered but not started: put, /health, member list`,
    source,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      if (!m) throw new Error(`no member remembered as ${ref}`);
      const running = await ctx.cluster.running(ctx.cluster.members.filter((x) => x !== m));
      const health: Record<string, string> = {};
      for (const x of running) health[x.name] = (await x.health(2000).catch((e: Error) => ({ body: e.message }))).body.trim();
      const client = running[0]!.client({ callTimeoutMs: 2000 });
      const key = `/firedrill/join-window/${m.name}`;
      const p0 = performance.now();
      const op = await ctx.history.record(key, 'w', async () => await client.put(key).value('w'));
      client.close();
      const put = { ok: op.outcome === 'ok', error: op.error, ms: Math.round(performance.now() - p0) };
      const rows = await memberList(running[0]!.clientUrl).catch(() => undefined);
      const row = rows?.find((x) => x.peerUrls.includes(m.peerUrl));
      const window: JoinWindow = {
        member: m.name,
        voting: rows?.length ?? ctx.cluster.members.length,
        running: running.length,
        put,
        health,
        listedAs: row ? `${row.id}, ${row.name || 'unstarted'}, ${row.peerUrls.join(',')}` : undefined,
      };
      ctx.vars.set(saveAs, [...((ctx.vars.get(saveAs) as JoinWindow[] | undefined) ?? []), window]);
      ctx.note(
        `${window.running} of ${window.voting} running: put ${put.ok ? 'OK' : `failed (${put.error})`} in ${put.ms} ms; /health ${Object.values(health).join(' ')}`,
      );
    },
  };
}

/** Waits (bounded) until the member `ref` answers /health true; measures from its `member add`. */
export function awaitJoined(ref: string, source?: string, timeoutMs = 30_000): Step {
  return {
    name: `wait until the new member is healthy`,
    source,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      if (!m) throw new Error(`no member remembered as ${ref}`);
      const started = ctx.now();
      for (;;) {
        if ((await m.health(1000).catch(() => ({ healthy: false }))).healthy) break;
        const state = await m.state();
        if (state !== 'running') {
          const last = (await m.logLines()).filter((l) => l.level === 'critical' || l.level === 'panic' || l.level === 'error').pop();
          throw new Error(`${m.name} is ${state} (exit ${(await m.exitCode()) ?? '-'}): ${last ? ends(last.text) : '(no error line)'}`);
        }
        if (ctx.now() - started > timeoutMs) throw new Error(`${m.name} not healthy ${timeoutMs} ms after start`);
        await pause(50);
      }
      const addedAt = (ctx.vars.get(`${ref}-added-at`) as number | undefined) ?? started;
      ctx.metric(`${m.name}: healthy after start`, ctx.now() - started);
      ctx.metric(`${m.name}: unstarted window (member add → healthy)`, ctx.now() - addedAt);
      await ctx.cluster.waitReady({ timeoutMs: 20_000 });
    },
  };
}

/** Takes the members remembered as `ref` out of the harness's view (after `member remove`: the host is gone). */
export function retire(ref: string, source?: string): Step {
  return {
    name: `decommission the host of the ${ref}`,
    source,
    async run(ctx) {
      const members = ctx.ref(ref);
      for (const m of members) ctx.cluster.retire(m);
      ctx.note(`retired ${members.map((m) => m.name).join(', ')}`);
    },
  };
}

/**
 * Records a Stage under `saveAs` (appended): `member list` on a live member (how many listed, how
 * many started, so the quorum), and how many of the `seedPrefix` keys each running member holds.
 */
export function recordStage(label: string, saveAs: string, seedPrefix = '/name/', source?: string): Step {
  return {
    name: `${label}: member list, quorum, seed keys on every member`,
    source,
    async run(ctx) {
      const via = await livePeer(ctx);
      const rows = await memberList(via.clientUrl);
      const seedKeys: Stage['seedKeys'] = {};
      for (const m of ctx.cluster.members) {
        seedKeys[m.name] = await rangePrefix(m.clientUrl, seedPrefix, { serializable: true, timeoutMs: 2000 })
          .then((r) => r.kvs.length)
          .catch((e: Error) => `no answer (${e.message})`);
      }
      // A listed member answers when its published client URL does: an unstarted one has none yet,
      // a switched-off host does not answer.
      const up = await Promise.all(
        rows.map((r) =>
          r.clientUrls[0]
            ? fetchMemberStatus(r.clientUrls[0], 1500).then(
                () => 1,
                () => 0,
              )
            : Promise.resolve(0),
        ),
      );
      const answering = up.reduce<number>((a, b) => a + b, 0);
      const stage: Stage = { label, listed: rows.length, answering, quorum: quorumOf(rows.length), seedKeys };
      ctx.vars.set(saveAs, [...((ctx.vars.get(saveAs) as Stage[] | undefined) ?? []), stage]);
      ctx.note(`${stage.listed} listed, ${answering} answering, quorum ${stage.quorum}; seed keys ${JSON.stringify(seedKeys)}`);
    },
  };
}

/**
 * Seed 004 扩展 step 1: edit the single member's config to advertise its own IP
 * (`ETCD_INITIAL_ADVERTISE_PEER_URLS`, `ETCD_INITIAL_CLUSTER`) and restart it. Saves the peer URLs
 * `member list` shows afterwards under `saveAs`: etcd ignores those flags once a data dir exists.
 */
export function restartWithOwnPeerUrl(target: Target, saveAs: string, source?: string): Step {
  return {
    name: `edit ${target.description}'s peer URL flags to its IP and restart it`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      await m.stop();
      // ETCD_LISTEN_PEER_URLS, ETCD_INITIAL_ADVERTISE_PEER_URLS, ETCD_INITIAL_CLUSTER, as the seed adds them.
      await m.start({
        flags: { 'listen-peer-urls': m.peerUrl, 'initial-advertise-peer-urls': m.peerUrl, 'initial-cluster': `${m.name}=${m.peerUrl}` },
      });
      await ctx.cluster.waitReady({ timeoutMs: 30_000 });
      const { row } = await listedRow(ctx, m, m);
      ctx.vars.set(saveAs, row?.peerUrls ?? []);
      ctx.note(`member list after the restart: ${m.name} at ${row?.peerUrls.join(',') ?? '(not listed)'}; flags say ${m.peerUrl}`);
    },
  };
}

/**
 * `etcdctl member update <id> --peer-urls=<its own IP URL>` run on the member itself (the only one):
 * the correction seed 004 扩展 misses, and that seed 004's --force-new-cluster section does itself.
 */
export function updateOwnPeerUrl(target: Target, source?: string): Step {
  return {
    name: `etcdctl member update <id> --peer-urls=<its IP> on ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const { row } = await listedRow(ctx, m, m);
      if (!row) throw new Error(`${m.name} is not in its own member list`);
      const r = await ctx.etcdctl(m, ['member', 'update', row.id, `--peer-urls=${m.peerUrl}`]);
      if (!r.ok) throw new Error(`member update ${row.id} refused: ${r.stderr.trim().split('\n').pop()}`);
      ctx.note(`${r.stdout.trim()} (was ${row.peerUrls.join(',')})`);
    },
  };
}

/**
 * One member more, as seed 003 §2.3 does it: a new host registered with `member add`, the window
 * before it starts probed (appended to `windows`), started with `existing`, awaited, and the stage
 * recorded (appended to `stages`).
 */
export function growByOne(ref: string, label: string, stages: string, windows: string): Step[] {
  return [
    registerNewMember(ref, 'seed 003 §2.3 step 1 (etcdctl member add infra3 http://10.0.1.13:2380), seed 003 §2 (一次只操作一个节点)'),
    probeJoinWindow(ref, windows, 'ground-truth.md §11 (the window between member add and the start), seed 003 §2.3 (值得注意的是…)'),
    start(Targets.ref(ref), undefined, 'seed 003 §2.3 step 2 (ETCD_INITIAL_CLUSTER_STATE=existing, etcd ...)'),
    awaitJoined(ref),
    recordStage(label, stages),
  ];
}

/** One member fewer: `member remove`, the removed member exits by itself, its host is decommissioned. */
export function shrinkByOne(ref: string, label: string, stages: string): Step[] {
  return [
    memberRemove(Targets.ref(ref), ref, 'seed 003 §2.2 (etcdctl member remove <id>), seed 003 §2 (两个删除节点操作)'),
    awaitSelfExit(Targets.ref(ref), ref, `${ref}-exit`, 'seed 003 §2.2 (目标节点会自动停止服务)'),
    retire(ref),
    recordStage(label, stages),
  ];
}
