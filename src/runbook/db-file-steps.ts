import { lastLine, type CommandResult } from '../cluster/command-result.js';
import { BACKUP_MOUNT, DATA_DIR } from '../cluster/etcd-flags.js';
import type { EtcdFlags } from '../cluster/cluster-spec.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { withFlags } from '../cluster/etcd-flags.js';

/** Where seed 002 场景四 step 1 moves each data dir (`mv default.etcd default.etcd.bak`). */
export const ASIDE_DIR = `${DATA_DIR}.bak`;
/** The bbolt file inside a moved-aside data dir: what the seed restores from. */
export const ASIDE_DB = `${ASIDE_DIR}/member/snap/db`;
/** The one chosen db file, copied to the run's shared backup volume so every member can restore it. */
export const CHOSEN_DB = `${BACKUP_MOUNT}/chosen-member-snap.db`;

/** What one member's raw `member/snap/db` holds, from `stat` and `etcdctl snapshot status`. */
export interface DbFile {
  member: string;
  /** bytes on disk (3.5's bbolt grows the file in 16 MiB steps: sizes tie) */
  size: number;
  revision: number;
  totalKeys: number;
}

/**
 * `stat -c %s <db>` then `etcdctl snapshot status <db> -w json` output → DbFile; undefined when
 * either part is missing. (3.5 prints a deprecation notice on stderr, not here.)
 */
export function parseDbInspection(member: string, stdout: string): DbFile | undefined {
  const size = Number(/^(\d+)\s*$/m.exec(stdout)?.[1] ?? NaN);
  const json = /\{.*"revision".*\}/.exec(stdout)?.[0];
  const status = json ? (JSON.parse(json) as { revision?: number; totalKey?: number }) : {};
  if (Number.isNaN(size) || status.revision === undefined) return undefined;
  return { member, size, revision: status.revision, totalKeys: status.totalKey ?? 0 };
}

/**
 * The db file to restore every member from: the newest revision (the largest file on a tie), and
 * the largest file (what the seed says to pick), to show where the two disagree; `tie` when
 * several files share the largest size (3.5's bbolt files are all 16 MiB).
 */
export function chooseDb(files: readonly DbFile[]): { chosen: DbFile; largest: DbFile; tie: boolean } {
  if (files.length === 0) throw new Error('no db files to choose from');
  const largest = [...files].sort((a, b) => b.size - a.size || b.revision - a.revision)[0]!;
  const chosen = [...files].sort((a, b) => b.revision - a.revision || b.size - a.size)[0]!;
  return { chosen, largest, tie: files.filter((f) => f.size === largest.size).length > 1 };
}

async function resolveAll(ctx: RunContext, target: Target): Promise<Member[]> {
  const members = await ctx.resolve(target);
  if (members.length === 0) throw new Error(`no member for ${target.description}`);
  return members;
}

/**
 * `n` v3 puts through one member's own client (not the cluster client, which may pick a dead
 * member's endpoint), each recorded in the history.
 */
export function writeV3Through(on: Target, n: number, prefix: string, value = 'v'): Step {
  return {
    name: `write ${n} v3 keys ${prefix}1..${n} through ${on.description}`,
    async run(ctx) {
      const [m] = await resolveAll(ctx, on);
      const client = m!.client({ callTimeoutMs: 5000 });
      try {
        for (let i = 1; i <= n; i++) {
          const key = `${prefix}${i}`;
          await ctx.history.record(key, `${value}${i}`, async () => await client.put(key).value(`${value}${i}`));
        }
      } finally {
        client.close();
      }
      ctx.note(`${ctx.history.count('ok', (o) => o.key.startsWith(prefix))} of ${n} acknowledged through ${m!.name}`);
    },
  };
}

/**
 * Writes `<prefix><i>` through the leader (one of `target`) without pause and, after `afterMs`,
 * freezes every target member at once (`docker pause`, a few ms) and SIGKILLs them: a power cut.
 * The last writes were acknowledged (committed in raft) a few ms before, when bbolt's batch (100 ms
 * by default) may not have reached the disk. Killing one by one instead lets the last ones flush
 * their batch (measured: then nothing is lost). Remembers the members under `remember`, like Steps.kill.
 */
export function writeUntilKilled(target: Target, prefix: string, remember: string, afterMs = 300, source?: string): Step {
  return {
    name: `write ${prefix}<i> through the leader without pause; after ${afterMs} ms freeze ${target.description} at once and SIGKILL them`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target, remember);
      const leader = await ctx.leader();
      const via = members.find((m) => m === leader) ?? members[0];
      if (!via) throw new Error(`no member for ${target.description}`);
      const client = via.client({ callTimeoutMs: 1000 });
      let killed = false;
      const writer = (async () => {
        for (let i = 1; !killed; i++) {
          const key = `${prefix}${i}`;
          await ctx.history.record(key, `v${i}`, async () => await client.put(key).value(`v${i}`));
        }
      })();
      await new Promise((r) => setTimeout(r, afterMs));
      const t0 = ctx.now();
      // Freeze first (cgroup freezer, a few ms) so no member flushes another batch, then SIGKILL.
      await Promise.all(members.map((m) => m.pause()));
      const at = ctx.now();
      await Promise.all(members.map((m) => m.kill()));
      killed = true;
      await writer;
      client.close();
      const lastAck = ctx.history.ops.filter((o) => o.outcome === 'ok' && o.key.startsWith(prefix) && o.ret <= at).pop()?.ret;
      ctx.vars.set(`${remember}-at`, at);
      ctx.emit({ type: 'fault-injected', name: 'kill', members: members.map((m) => m.name) });
      const acked = ctx.history.count('ok', (o) => o.key.startsWith(prefix));
      const gap = lastAck === undefined ? '?' : Math.round(at - lastAck);
      const all = members.map((m) => m.name).join(', ');
      ctx.note(
        `wrote through ${via.name} (${via === leader ? 'the leader' : 'no leader known'}); froze and killed ${all}; ${acked} writes acknowledged, the last one ${gap} ms before all were frozen (docker pause took ${Math.round(at - t0)} ms)`,
      );
    },
  };
}

/** `mv <data-dir> <data-dir>.bak` on each stopped target member (in a one-shot container on its volume). */
export function moveDataDirAside(target: Target, source?: string): Step {
  return {
    name: `move the data dir of ${target.description} aside (mv data data.bak)`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      const failed: string[] = [];
      for (const m of members) {
        const r = await ctx.oneShot(m, ['mv', DATA_DIR, ASIDE_DIR]);
        if (!r.ok) failed.push(`${m.name}: ${lastLine(r)}`);
      }
      if (failed.length) throw new Error(`mv failed on ${failed.join('; ')}`);
      ctx.note(`moved aside on ${members.map((m) => m.name).join(', ')}`);
    },
  };
}

/**
 * Size (`stat -c %s`) and `etcdctl snapshot status -w json` of each target's moved-aside
 * `member/snap/db`; saved as DbFile[] under `saveAs`. snapshot status reads a raw bbolt file fine:
 * only restore insists on the hash a `snapshot save` appends.
 */
export function inspectDbFiles(target: Target, saveAs = 'db-files', source?: string): Step {
  return {
    name: `stat and etcdctl snapshot status of member/snap/db on ${target.description}`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      const files: DbFile[] = [];
      for (const m of members) {
        const r = await ctx.oneShot(m, ['sh', '-c', `stat -c %s ${ASIDE_DB} && etcdctl snapshot status ${ASIDE_DB} -w json`], {
          env: { ETCDCTL_API: '3' },
        });
        const file = r.ok ? parseDbInspection(m.name, r.stdout) : undefined;
        if (!file) throw new Error(`cannot read ${ASIDE_DB} on ${m.name}: exit ${r.exitCode} ${lastLine(r)}`);
        files.push(file);
      }
      ctx.vars.set(saveAs, files);
      ctx.note(files.map((f) => `${f.member}: ${f.size} bytes, revision ${f.revision}, ${f.totalKeys} keys`).join('; '));
    },
  };
}

/**
 * Picks the db file to restore from: the largest, as the seed says, but on a tie (3.5's files are
 * all 16 MiB) or a disagreement the highest revision wins, since that is the newest data. Copies it
 * to the shared backup volume (`cp` on the member that has it), so every member restores the same
 * file. The choice is saved under `saveAs`.
 */
export function pickAndShareDb(files = 'db-files', saveAs = 'chosen-db', source?: string): Step {
  return {
    name: `pick the largest member/snap/db (newest revision on a tie) and copy it to ${CHOSEN_DB}`,
    source,
    async run(ctx) {
      const all = ctx.vars.get(files) as DbFile[] | undefined;
      if (!all?.length) throw new Error(`no db files recorded as "${files}"`);
      const { chosen, largest: bySize, tie } = chooseDb(all);
      ctx.vars.set(saveAs, { chosen, largest: bySize });
      ctx.note(
        bySize.member === chosen.member
          ? `${chosen.member}: ${chosen.size} bytes, revision ${chosen.revision}${tie ? ' (sizes tie; newest revision)' : ''}`
          : `largest file is ${bySize.member}'s (${bySize.size} bytes, revision ${bySize.revision}), but ${chosen.member}'s has the newest revision ${chosen.revision}: using it`,
      );
      const r = await ctx.oneShot(ctx.cluster.member(chosen.member), ['cp', ASIDE_DB, CHOSEN_DB]);
      if (!r.ok) throw new Error(`cp ${ASIDE_DB} ${CHOSEN_DB} on ${chosen.member} failed: ${lastLine(r)}`);
    },
  };
}

export interface DbRestoreOptions {
  /** `chosen`: the one shared file (the fix); `own`: each member its own moved-aside db (seed as read by most). */
  from: 'chosen' | 'own';
  skipHashCheck: boolean;
  token: string;
  /** Seed 002 says "忽略即可" (ignore the error): record a failure and go on instead of ending the procedure. */
  ignoreErrors?: boolean;
  saveAs?: string;
  source?: string;
}

/**
 * `ETCDCTL_API=3 etcdctl snapshot restore <db> ... --skip-hash-check=<bool>` on each target member,
 * one after another, in a one-shot container on its volume (etcd stopped), with the full
 * `--initial-cluster` as seed 002 writes it. Results land in `ctx.vars['<saveAs>:<member>']`.
 */
export function restoreDbFile(target: Target, opts: DbRestoreOptions): Step {
  const file = opts.from === 'chosen' ? CHOSEN_DB : ASIDE_DB;
  return {
    name: `etcdctl snapshot restore ${file} on ${target.description} --skip-hash-check=${opts.skipHashCheck}`,
    source: opts.source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      const failed: string[] = [];
      for (const m of members) {
        const argv = [
          'etcdctl',
          'snapshot',
          'restore',
          file,
          `--name=${m.name}`,
          `--initial-cluster=${ctx.cluster.initialCluster()}`,
          `--initial-advertise-peer-urls=${m.peerUrl}`,
          `--data-dir=${DATA_DIR}`,
          `--initial-cluster-token=${opts.token}`,
          `--skip-hash-check=${opts.skipHashCheck}`,
        ];
        const r = await ctx.oneShot(m, argv, { env: { ETCDCTL_API: '3' } });
        ctx.vars.set(`${opts.saveAs ?? 'db-restore'}:${m.name}`, r);
        if (!r.ok) failed.push(`${m.name}: exit ${r.exitCode} ${lastLine(r)}`);
      }
      ctx.note(
        `restore exit codes: ${members.map((m) => `${m.name}=${(ctx.vars.get(`${opts.saveAs ?? 'db-restore'}:${m.name}`) as CommandResult).exitCode}`).join(', ')}`,
      );
      if (failed.length && !opts.ignoreErrors) throw new Error(`snapshot restore failed on ${failed.join('; ')}`);
      if (failed.length) ctx.note(`ignored, as the seed says: ${failed[0]}`);
    },
  };
}

/**
 * Tries the restore of one member's raw db WITHOUT `--skip-hash-check`, into a scratch dir inside
 * the one-shot container (thrown away with it): shows why the flag is needed, in etcd's words.
 * Saved under `saveAs` (a CommandResult).
 */
export function probeHashCheck(on: Target, saveAs = 'hash-check-probe', source?: string): Step {
  return {
    name: `etcdctl snapshot restore of a raw member/snap/db without --skip-hash-check (scratch dir) on ${on.description}`,
    source,
    async run(ctx) {
      const [m] = await resolveAll(ctx, on);
      const r = await ctx.oneShot(m!, ['etcdctl', 'snapshot', 'restore', ASIDE_DB, '--data-dir=/tmp/hash-check-probe'], {
        env: { ETCDCTL_API: '3' },
      });
      ctx.vars.set(saveAs, r);
      ctx.note(`exit ${r.exitCode}: ${lastLine(r)}`);
    },
  };
}

/** How each member fared after a start the harness watched: healthy, exited (code, why), or neither. */
export interface WatchedStart {
  outcome: 'healthy' | 'exited' | 'timeout';
  afterMs: number;
  members: Array<{ name: string; state: string; exitCode?: number; afterMs?: number; why?: string }>;
}

// What a member that cannot start says last (3.4 capnslog `C |`, 3.5 zap `"level":"fatal"`).
const FATAL = /cannot fetch cluster info|discovery failed|could not retrieve cluster information/;

/**
 * Starts every target member and watches them (bounded): done as soon as all answer /health true,
 * or all have exited (the failure is then certain), or at `timeoutMs`. Members still running at the
 * end are left running. Saves a WatchedStart under `saveAs`.
 */
export function startAndWatch(target: Target, flags: EtcdFlags | undefined, saveAs: string, source?: string, timeoutMs = 30_000): Step {
  const how = withFlags(flags);
  return {
    name: `start ${target.description}${how} and watch them (at most ${timeoutMs / 1000} s)`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      const t0 = performance.now();
      await Promise.all(members.map((m) => m.start({ flags })));
      const exitedAt = new Map<Member, number>();
      let outcome: WatchedStart['outcome'] = 'timeout';
      for (;;) {
        const states = await Promise.all(members.map((m) => m.state()));
        members.forEach((m, i) => {
          if (states[i] === 'exited' && !exitedAt.has(m)) exitedAt.set(m, performance.now() - t0);
        });
        if (exitedAt.size === members.length) {
          outcome = 'exited';
          break;
        }
        const health = await Promise.all(members.map((m) => m.health(1000).catch(() => ({ healthy: false }))));
        if (health.every((h) => h.healthy)) {
          outcome = 'healthy';
          break;
        }
        if (performance.now() - t0 > timeoutMs) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const record: WatchedStart = { outcome, afterMs: Math.round(performance.now() - t0), members: [] };
      for (const m of members) {
        const lines = await m.logLines();
        const why = lines.filter((l) => FATAL.test(l.text) || l.level === 'critical' || l.level === 'panic').pop()?.text;
        const at = exitedAt.get(m);
        record.members.push({
          name: m.name,
          state: await m.state(),
          exitCode: await m.exitCode(),
          afterMs: at === undefined ? undefined : Math.round(at),
          why: why && why.length > 240 ? `${why.slice(0, 240)}…` : why,
        });
      }
      ctx.vars.set(saveAs, record);
      if (outcome === 'exited') ctx.metric(`${saveAs}: every member exited after start`, Math.max(...exitedAt.values()));
      ctx.note(
        `${outcome} after ${record.afterMs} ms: ${record.members.map((x) => `${x.name} ${x.state}${x.exitCode !== undefined ? ` (exit ${x.exitCode})` : ''}`).join(', ')}`,
      );
      const said = record.members.find((x) => x.why)?.why;
      if (said) ctx.note(`log: ${said}`);
    },
  };
}
