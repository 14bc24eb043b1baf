import { Command } from 'commander';
import { assertDockerReachable } from '../../cluster/docker-client.js';
import { reap } from '../../cluster/reaper.js';

/** `firedrill reap`: removes what killed runs left behind; never touches unlabelled objects. */
export function reapCommand(): Command {
  return new Command('reap')
    .description('remove containers, networks and volumes left by runs that are no longer alive (only objects labelled by firedrill)')
    .option('--run <id>', 'only this run')
    .option('--force', 'also remove runs whose owning process is still alive')
    .action(async (opts: { run?: string; force?: boolean }) => {
      await assertDockerReachable();
      const r = await reap({ runId: opts.run, force: opts.force });
      const n = r.containers.length + r.networks.length + r.volumes.length;
      for (const c of r.containers) console.log(`removed container ${c}`);
      for (const c of r.networks) console.log(`removed network   ${c}`);
      for (const c of r.volumes) console.log(`removed volume    ${c}`);
      for (const run of r.skippedLiveRuns) console.log(`kept run ${run}: its process is still alive (--force to remove)`);
      console.log(n ? `reaped ${n} object(s)` : 'nothing to reap');
    });
}
