import type { Fault } from '../faults/fault.js';
import type { Step } from '../run/scenario.js';

/**
 * Injects a fault and keeps its Injection under `remember` (the members it hit are remembered under
 * the same name, for targets). The run heals whatever is still injected before teardown.
 */
export function inject(fault: Fault, remember = fault.name, source?: string): Step {
  return {
    name: `inject ${fault.name}`,
    source,
    async run(ctx) {
      const why = fault.available(ctx.cluster.spec);
      if (why !== true) throw new Error(`fault ${fault.name} is not available here: ${why}`);
      const inj = await fault.inject(ctx);
      ctx.track(remember, inj);
      ctx.note(inj.description);
      ctx.emit({ type: 'fault-injected', name: fault.name, members: inj.members.map((m) => m.name) });
    },
  };
}

/** Heals what `inject` remembered under `remember` (idempotent: healing twice is harmless). */
export function heal(remember: string, source?: string): Step {
  return {
    name: `heal ${remember}`,
    source,
    async run(ctx) {
      const healed = await ctx.heal(remember);
      ctx.note(healed.length ? `healed ${healed.map((i) => i.description).join('; ')}` : 'nothing to heal');
      for (const i of healed) ctx.emit({ type: 'fault-healed', name: i.fault, members: i.members.map((m) => m.name) });
    },
  };
}
