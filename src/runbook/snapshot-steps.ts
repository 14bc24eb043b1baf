import { lastLine } from '../cluster/command-result.js';
import { DATA_DIR } from '../cluster/etcd-flags.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

/**
 * `etcdctl snapshot save <path>` inside one member, against its own endpoint only: etcd refuses a
 * snapshot asked of several endpoints (`snapshot must be requested to one selected node`).
 * The result is kept in `ctx.vars[saveAs]`; a failed save throws, since nothing after it means anything.
 */
export function snapshotSave(on: Target, path: string, opts: { source?: string; saveAs?: string } = {}): Step {
  return {
    name: `etcdctl snapshot save ${path} on ${on.description}, its own endpoint only`,
    source: opts.source ?? 'seed 001 §二.2 (snapshot save mysnapshot.db, one endpoint)',
    async run(ctx) {
      const [m] = await ctx.resolve(on);
      if (!m) throw new Error(`no member for ${on.description}`);
      const r = await ctx.etcdctl(m, ['snapshot', 'save', path]);
      ctx.vars.set(opts.saveAs ?? 'snapshot-save', r);
      // 3.5 logs zap JSON to stderr: show the line an operator looks for when it is there.
      const saved = /Snapshot saved at \S+/.exec(r.stdout + r.stderr)?.[0];
      ctx.note(`exit ${r.exitCode}: ${saved ?? lastLine(r).slice(0, 120)}`);
      if (!r.ok) throw new Error(`snapshot save failed: ${lastLine(r)}`);
    },
  };
}

export interface RestoreOptions {
  source?: string;
  /** Each member's result lands in `ctx.vars['<saveAs>:<member>']`. */
  saveAs?: string;
}

/**
 * On each target member, one after another as the seed does (依次在三台节点上执行), while etcd is
 * stopped: `ETCDCTL_API=3 etcdctl snapshot restore` into the member's data dir, in a one-shot
 * container on its volume. `--initial-cluster` always names every member of the cluster, as the
 * seed's command does, even when only some members are restored (the pitfall).
 * etcdctl rather than etcdutl, as in the seed: on 3.5 it still works and prints a deprecation notice.
 */
export function snapshotRestore(target: Target, path: string, token: string, opts: RestoreOptions = {}): Step {
  return {
    name: `etcdctl snapshot restore ${path} on ${target.description}, --initial-cluster-token=${token}`,
    source: opts.source ?? 'seed 001 §二.4 / §三.2 (etcdctl snapshot restore mysnapshot.db --name ... --initial-cluster-token ...)',
    async run(ctx) {
      const members = await ctx.resolve(target);
      const failed: string[] = [];
      let deprecated = 0;
      for (const m of members) {
        const argv = [
          'etcdctl',
          'snapshot',
          'restore',
          path,
          `--name=${m.name}`,
          `--data-dir=${DATA_DIR}`,
          `--initial-cluster=${ctx.cluster.initialCluster()}`,
          `--initial-cluster-token=${token}`,
          `--initial-advertise-peer-urls=${m.peerUrl}`,
        ];
        const r = await ctx.oneShot(m, argv, { env: { ETCDCTL_API: '3' } });
        ctx.vars.set(`${opts.saveAs ?? 'snapshot-restore'}:${m.name}`, r);
        if (/Deprecated/.test(r.stdout + r.stderr)) deprecated++;
        if (!r.ok) failed.push(`${m.name}: exit ${r.exitCode} ${lastLine(r)}`);
      }
      ctx.note(`restored ${members.map((m) => m.name).join(', ')}`);
      if (deprecated)
        ctx.note(`etcdctl printed "Deprecated: Use \`etcdutl snapshot restore\` instead." on ${deprecated} of ${members.length}`);
      if (failed.length) throw new Error(`snapshot restore failed on ${failed.join('; ')}`);
    },
  };
}

/**
 * Keeps one member's cluster ID (hex, exact: read through the gateway) under `key`, so a check can
 * tell whether the restore made a new cluster. IDs derive from the peer URLs and the token.
 */
export function rememberClusterId(key = 'cluster-id-before', source = 'seed 001 §二.3 (endpoint status before stopping)'): Step {
  return {
    name: 'note the cluster ID (endpoint status)',
    source,
    async run(ctx) {
      const { clusterId } = await ctx.cluster.member(1).status(2000);
      ctx.vars.set(key, clusterId);
      ctx.note(`cluster ID ${clusterId}`);
    },
  };
}
