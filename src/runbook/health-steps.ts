import { lastLine } from '../cluster/command-result.js';
import { httpFetch } from '../cluster/http.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

/** One HTTP answer: status (null when none came) and body. */
export interface HttpAnswer {
  status: number | null;
  body: string;
}

/** One etcdctl probe: exit code and the line an operator reads. */
export interface EtcdctlAnswer {
  exitCode: number | null;
  line: string;
}

/** What seed 004's health probes said about one member at one moment. */
export interface HealthProbe {
  member: string;
  /** `GET /health` */
  health: HttpAnswer;
  /** `GET /v2/members` (needs --enable-v2) */
  v2Members: HttpAnswer & { count?: number };
  /** `etcdctl endpoint health`, `endpoint status`, `member list`, each against the member itself (with `etcdctl: true`). */
  endpointHealth?: EtcdctlAnswer;
  endpointStatus?: EtcdctlAnswer;
  memberList?: EtcdctlAnswer;
}

async function get(url: string, timeoutMs: number): Promise<HttpAnswer> {
  try {
    const res = await httpFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.text()).trim() };
  } catch (e) {
    return { status: null, body: e instanceof Error ? e.message : String(e) };
  }
}

async function etcdctlAnswer(ctx: RunContext, m: Member, args: string[]): Promise<EtcdctlAnswer> {
  const r = await ctx.etcdctl(m, args);
  return { exitCode: r.exitCode, line: lastLine(r).slice(0, 200) };
}

/** Reads seed 004's probes of one member (the HTTP ones always, the etcdctl ones on request). */
export async function probeMember(ctx: RunContext, m: Member, etcdctl: boolean, timeoutMs = 5000): Promise<HealthProbe> {
  const [health, v2] = await Promise.all([get(`${m.clientUrl}/health`, timeoutMs), get(`${m.clientUrl}/v2/members`, timeoutMs)]);
  let count: number | undefined;
  try {
    count = (JSON.parse(v2.body) as { members?: unknown[] }).members?.length;
  } catch {
    count = undefined;
  }
  const probe: HealthProbe = { member: m.name, health, v2Members: { ...v2, count } };
  if (etcdctl) {
    probe.endpointHealth = await etcdctlAnswer(ctx, m, ['endpoint', 'health']);
    probe.endpointStatus = await etcdctlAnswer(ctx, m, ['endpoint', 'status', '-w', 'table']);
    probe.memberList = await etcdctlAnswer(ctx, m, ['member', 'list']);
  }
  return probe;
}

/**
 * Seed 004's health probes on each target member, as an operator checks a cluster in trouble:
 * `curl /health`, `curl /v2/members` and, with `etcdctl`, `etcdctl endpoint health`, `endpoint
 * status` and `member list` (each bounded by etcdctl's own 5 s command timeout). What each said is
 * kept as HealthProbe[] under `saveAs`, for observed checks (Checks.healthAnswers).
 */
export function probeHealth(target: Target, saveAs: string, opts: { etcdctl?: boolean; source?: string } = {}): Step {
  return {
    name: `health probes on ${target.description}: /health, /v2/members${opts.etcdctl ? ', endpoint health, endpoint status, member list' : ''}`,
    source: opts.source ?? 'seed 004 (health probes: curl /health, /v2/members; etcdctl endpoint health / endpoint status / member list)',
    async run(ctx) {
      const members = await ctx.resolve(target);
      const probes: HealthProbe[] = [];
      for (const m of members) probes.push(await probeMember(ctx, m, Boolean(opts.etcdctl)));
      ctx.vars.set(saveAs, probes);
      for (const p of probes) {
        const extra = p.endpointHealth ? `; endpoint health exit ${p.endpointHealth.exitCode}: ${p.endpointHealth.line}` : '';
        ctx.note(
          `${p.member}: /health ${p.health.status} ${p.health.body}; /v2/members ${p.v2Members.status}${p.v2Members.count === undefined ? '' : ` (${p.v2Members.count} members)`}${extra}`,
        );
      }
    },
  };
}
