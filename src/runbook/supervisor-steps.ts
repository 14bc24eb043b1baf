import type { Member, RestartPolicy } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

// The supervisor of each member is a Docker restart policy (see Member.supervise): what a user
// recognises as systemd `Restart=always`, seed 000's platform health check or seed 004's `supervise`.

/** What a supervisor did to a member that cannot start: the observed checks judge this. */
export interface CrashLoop {
  /** How many times the supervisor restarted it while the step watched. */
  restarts: number;
  /** Exit code of the last attempt (undefined: it was running when the step stopped watching). */
  exitCode?: number;
  policy: string;
  /** The last panic / critical line: why etcd will not start, in its own words. */
  why?: string;
  watchedMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function resolveAll(ctx: RunContext, target: Target): Promise<Member[]> {
  const members = await ctx.resolve(target);
  if (members.length === 0) throw new Error(`no member for ${target.description}`);
  return members;
}

/** Puts the target under a supervisor that restarts etcd whenever it exits (`policy`, default `always`). */
export function supervise(target: Target, policy: RestartPolicy = 'always', source?: string): Step {
  return {
    name: `run ${target.description} under a supervisor (restart policy ${policy})`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      await Promise.all(members.map((m) => m.supervise(policy)));
      ctx.note(`${members.map((m) => m.name).join(', ')}: restart policy ${policy}`);
    },
  };
}

/**
 * Starts the (broken) target, as its host coming back does, and watches its supervisor restart it
 * until it has restarted `minRestarts` times (bounded by `timeoutMs`); saves a CrashLoop under `saveAs`.
 * Docker backs off 100 ms, 200 ms, 400 ms, ... between restarts, so a few restarts take a few seconds.
 */
export function watchCrashLoop(target: Target, saveAs: string, source?: string, minRestarts = 2, timeoutMs = 15_000): Step {
  return {
    name: `start ${target.description} and watch its supervisor restart it`,
    source,
    async run(ctx) {
      const [m] = await resolveAll(ctx, target);
      const before = (await m!.restarts()).count;
      const t0 = performance.now();
      await m!.start();
      let r = await m!.restarts();
      while (r.count - before < minRestarts && performance.now() - t0 < timeoutMs) {
        await pause(200);
        r = await m!.restarts();
      }
      const lines = await m!.logLines();
      const bad = lines.filter((l) => l.level === 'panic' || l.level === 'critical').pop();
      const record: CrashLoop = {
        restarts: r.count - before,
        exitCode: await m!.exitCode(),
        policy: r.policy,
        why: bad?.text.slice(0, 200),
        watchedMs: Math.round(performance.now() - t0),
      };
      ctx.vars.set(saveAs, record);
      ctx.note(
        `restarted ${record.restarts} times in ${record.watchedMs} ms, last exit ${record.exitCode ?? '-'}: ${record.why ?? '(no fatal line)'}`,
      );
    },
  };
}

/**
 * Stops the supervisor from restarting the target, then stops the target (seed 000 步骤一: rename
 * the unit so the health check cannot start it, `systemctl stop etcd`), and makes sure it stays down.
 */
export function stopSupervisor(target: Target, source?: string): Step {
  return {
    name: `stop the supervisor of ${target.description} (restart policy no), then stop it`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      for (const m of members) {
        await m.supervise('no');
        await m.stop();
        const { count } = await m.restarts();
        await pause(1000); // a supervisor still in charge would have restarted it by now
        const after = await m.restarts();
        const state = await m.state();
        if (state !== 'exited' && state !== 'created') throw new Error(`${m.name} is ${state} after its supervisor was stopped`);
        ctx.note(`${m.name}: ${state}, policy ${after.policy}, ${after.count - count} restarts in the second after`);
      }
    },
  };
}

/** Puts the supervisor back (seed 000 步骤五: restore the unit); the member must then run under it. */
export function restoreSupervisor(target: Target, policy: RestartPolicy = 'always', source?: string): Step {
  return {
    name: `restore the supervisor of ${target.description} (restart policy ${policy})`,
    source,
    async run(ctx) {
      const members = await resolveAll(ctx, target);
      for (const m of members) {
        await m.supervise(policy);
        ctx.note(`${m.name}: ${JSON.stringify(await m.restarts())}`);
      }
    },
  };
}
