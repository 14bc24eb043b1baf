import { describe, expect, it } from 'vitest';
import { pass } from '../../src/checks/index.js';
import { docker } from '../../src/cluster/docker-client.js';
import { Faults, type Fault } from '../../src/faults/index.js';
import { firedrillChains } from '../../src/faults/iptables-rules.js';
import { iptablesRules } from '../../src/faults/netns.js';
import { readProxyConfig } from '../../src/faults/peer-proxy.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { Scenario, Step } from '../../src/run/scenario.js';
import { Steps } from '../../src/runbook/steps.js';
import { Targets } from '../../src/targets/targets.js';
import { interruptedRun } from './firedrill-process.js';

// Nothing a fault puts in place survives a run: not when the procedure leaves it in force, not when
// the run fails, not on Ctrl-C. The engine heals every injection while the members still exist
// (observed here right after each heal), and teardown removes the containers (with their network
// namespaces, iptables rules and proxy processes) anyway.

/** What each member looked like right after the engine healed the faults. */
interface AfterHeal {
  chains: string[];
  states: string[];
  proxyConfigs: string[];
}

/** Wraps a fault so that its heal, once done, records the state of every member. */
function observed(fault: Fault, after: Partial<AfterHeal>): Fault {
  return {
    ...fault,
    async inject(ctx) {
      const inj = await fault.inject(ctx);
      const members = ctx.cluster.members;
      return {
        ...inj,
        async heal() {
          await inj.heal();
          after.chains = (await Promise.all(members.map(async (m) => firedrillChains(await iptablesRules(m))))).flat();
          after.states = await Promise.all(members.map((m) => m.state()));
          after.proxyConfigs = await Promise.all(members.map((m) => readProxyConfig(m)));
        },
      };
    },
  };
}

function scenario(id: string, after: Partial<AfterHeal>, procedure: Step[]): Scenario {
  return {
    id,
    title: 'faults left in force by the procedure',
    source: { runbook: 'beyond the seeds (issue 7)', seed: 'beyond the seeds (issue 7)' },
    proves: 'the engine heals what the procedure leaves behind',
    cluster: { peerProxy: true },
    sizes: [3],
    versions: ['3.5'],
    prepare: [],
    assumptions: [{ name: 'nothing to assume', run: async () => pass('-') }],
    fault: [
      Steps.inject(observed(Faults.delay(Targets.all(), 50), after), 'slow'),
      Steps.inject(observed(Faults.isolate(Targets.leader()), after), 'isolated'),
      Steps.inject(observed(Faults.pause(Targets.ref('isolated')), after), 'paused'),
    ],
    runbook: procedure,
    checks: [
      {
        name: 'the faults are still in force during the checks',
        async run(ctx) {
          const [m] = ctx.ref('isolated');
          const chains = firedrillChains(await iptablesRules(m!));
          return chains.length === 1 && (await m!.state()) === 'paused'
            ? pass(chains.join(', '))
            : { status: 'fail', message: String(chains) };
        },
      },
    ],
    pitfall: { title: '-', source: '-', runbook: [Steps.sleep(1, '-')], mustFail: ['the faults are still in force during the checks'] },
  };
}

async function containersOf(runId: string): Promise<number> {
  const filters = JSON.stringify({ label: [`io.etcd-firedrill.run=${runId}`] });
  return (await docker().listContainers({ all: true, filters })).length;
}

function expectAllHealed(after: Partial<AfterHeal>): void {
  expect(after.chains).toEqual([]);
  expect(after.states).toEqual(['running', 'running', 'running']);
  expect(after.proxyConfigs).toEqual(['', '', '']);
}

describe('no fault survives a run', () => {
  it('a run whose procedure heals nothing: the engine heals isolate, pause and delay before teardown', async () => {
    const after: Partial<AfterHeal> = {};
    const report = await runScenario(scenario('cleanup-unhealed', after, [Steps.sleep(200, 'do nothing')]), { reportsDir: 'reports/test' });
    expect(report.checks.find((c) => c.name === 'the faults are still in force during the checks')?.verdict.status).toBe('pass');
    expectAllHealed(after);
    expect(await containersOf(report.runId)).toBe(0);
  });

  it('a failed run (a procedure step throws): healed and removed all the same', async () => {
    const after: Partial<AfterHeal> = {};
    const boom: Step = {
      name: 'a step that fails',
      run: async () => {
        throw new Error('boom');
      },
    };
    const report = await runScenario(scenario('cleanup-failed', after, [boom]), { reportsDir: 'reports/test' });
    expect(report.steps.find((s) => s.name === 'a step that fails')?.error).toBe('boom');
    expectAllHealed(after);
    expect(await containersOf(report.runId)).toBe(0);
  });

  it('Ctrl-C during `firedrill run leader-isolation` with the partition in force: healed, reported, removed', async () => {
    const { report, runId } = await interruptedRun(['leader-isolation'], 'fault   inject isolate');
    expect(report.error).toMatch(/interrupted/);
    expect(report.error).toMatch(/faults still injected, now healed: isolate etcd-\d/);
    expect(await containersOf(runId)).toBe(0);
  });
});
