import type { CommandResult } from '../cluster/command-result.js';
import { httpFetch } from '../cluster/http.js';
import type { Member } from '../cluster/member.js';
import { fail, pass } from '../checks/verdict.js';
import type { RunContext } from '../run/run-context.js';
import type { Check, Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { writeJwtKeys, JWT_KEY, JWT_PUB } from '../tls/jwt-keys.js';
import { oneMember } from './one-member.js';
import { classifyTokenAnswer, describeProbes, displayToken, type TokenProbe } from './auth-token.js';

// The harness's own reads renew tokens by themselves (http.ts authedFetch, the etcd3 client); these
// steps drive tokens by hand, each gateway call with an explicit `Authorization` header, so the error
// an operator's client meets is observed, never hidden.

/** The var holding the token the drill's client currently uses (the live check presents it). */
export const CLIENT_TOKEN = 'client-token';
const PROBE_KEY = '/name/1';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function tokenOf(ctx: RunContext, key: string): string {
  const t = ctx.vars.get(key);
  if (typeof t !== 'string') throw new Error(`no token saved as "${key}" (an authenticate step must run first)`);
  return t;
}

/** One gateway POST from the host, recorded as the curl command an operator would type. */
async function gatewayPost(
  ctx: RunContext,
  m: Member,
  path: string,
  body: unknown,
  show: { body: string; token?: string },
  timeoutMs = 3000,
): Promise<{ status: number; text: string }> {
  const url = `${m.clientUrl}${path}`;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const header = show.token === undefined ? '' : ` -H 'Authorization: ${displayToken(show.token)}'`;
  const command = `curl -X POST ${url}${header} -d '${show.body}'`;
  let status = 0;
  let text: string;
  try {
    const res = await httpFetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: show.token === undefined ? {} : { Authorization: show.token },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    // A member that waits for a raft index it has not applied holds the request (ground-truth.md §9).
    text = `request failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  // Tokens are shown shortened wherever they appear: the one sent, and one an answer hands out.
  const shown = m
    .mask(show.token ? text.split(show.token).join(displayToken(show.token)) : text)
    .replace(/("token"\s*:\s*")([^"]+)"/g, (_all, pre: string, t: string) => `${pre}${displayToken(t)}"`)
    .trim();
  const result: CommandResult = {
    command: m.mask(command),
    where: 'host',
    exitCode: status === 0 ? null : status < 300 ? 0 : status,
    stdout: status > 0 && status < 300 ? shown : '',
    stderr: status > 0 && status < 300 ? '' : `${status ? `HTTP ${status} ` : ''}${shown}`,
    durationMs: performance.now() - t0,
    startedAt,
    timedOut: status === 0,
    ok: status > 0 && status < 300,
  };
  ctx.record(result);
  return { status, text };
}

/** The token an authenticate answer carries; undefined for an error answer or a transport failure (not JSON). */
function tokenIn(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { token?: string }).token;
  } catch {
    return undefined;
  }
}

/**
 * `POST /v3/auth/authenticate` as root at the target (seed 002 场景一, ground-truth.md §9 step 2):
 * the token is saved under `saveAs` and, unless `hold` is false, becomes the client's token.
 */
export function authenticate(target: Target, saveAs: string, source?: string, hold = true): Step {
  return {
    name: `get a token from ${target.description}: POST /v3/auth/authenticate as root`,
    source,
    async run(ctx) {
      const creds = ctx.cluster.auth;
      if (!creds) throw new Error('auth is not enabled on this cluster (scenario needs cluster.auth)');
      const m = await oneMember(ctx, target, `${saveAs}-issuer`);
      const body = { name: creds.user, password: creds.password };
      const r = await gatewayPost(ctx, m, '/v3/auth/authenticate', body, { body: `{"name":"${creds.user}","password":"****"}` });
      const token = tokenIn(r.text);
      if (!token) throw new Error(`authenticate at ${m.name} failed: HTTP ${r.status} ${m.mask(r.text).slice(0, 200)}`);
      ctx.vars.set(saveAs, token);
      if (hold) ctx.vars.set(CLIENT_TOKEN, token);
      ctx.note(`${m.name} issued ${displayToken(token)}`);
    },
  };
}

/** One member's answer to a key read carrying `token`. */
export async function probeToken(ctx: RunContext, m: Member, token: string): Promise<TokenProbe> {
  const r = await gatewayPost(ctx, m, '/v3/kv/range', { key: b64(PROBE_KEY) }, { body: `{"key":"${b64(PROBE_KEY)}"}`, token });
  const { verdict, message } = r.status === 0 ? { verdict: 'error' as const, message: r.text } : classifyTokenAnswer(r.status, r.text);
  return { member: m.name, verdict, status: r.status, message };
}

/** Presents the token saved as `tokenKey` to every member (a key read each); saves the TokenProbe[] as `saveAs`. */
export function presentToken(tokenKey: string, saveAs: string, title: string, source?: string): Step {
  return {
    name: title,
    source,
    async run(ctx) {
      const token = tokenOf(ctx, tokenKey);
      const probes: TokenProbe[] = [];
      for (const m of ctx.cluster.members) probes.push(await probeToken(ctx, m, token));
      ctx.vars.set(saveAs, probes);
      ctx.note(`${displayToken(token)}: ${describeProbes(probes)}`);
    },
  };
}

/** `n` puts through the target's gateway with the token (`PUT /v3/kv/put`), each recorded in the history. */
export function putWithToken(tokenKey: string, on: Target, n: number, prefix: string, source?: string): Step {
  return {
    name: `${n} puts through ${on.description} with the token (Authorization header)`,
    source,
    async run(ctx) {
      const token = tokenOf(ctx, tokenKey);
      const m = await oneMember(ctx, on);
      for (let i = 1; i <= n; i++) {
        const key = `${prefix}${i}`;
        const value = `v${i}`;
        await ctx.history.record(key, value, async () => {
          const body = { key: b64(key), value: b64(value) };
          const r = await gatewayPost(ctx, m, '/v3/kv/put', body, { body: JSON.stringify(body), token });
          if (r.status !== 200) throw new Error(r.status ? classifyTokenAnswer(r.status, r.text).message : r.text);
        });
      }
      ctx.note(`${ctx.history.count('ok', (o) => o.key.startsWith(prefix))} of ${n} acknowledged`);
    },
  };
}

/** The client keeps (or switches to) the token saved as `tokenKey`: what the live check presents. */
export function holdToken(tokenKey: string, title: string, source?: string): Step {
  return {
    name: title,
    source,
    async run(ctx) {
      const token = tokenOf(ctx, tokenKey);
      ctx.vars.set(CLIENT_TOKEN, token);
      ctx.note(`the client sends ${displayToken(token)}`);
    },
  };
}

/**
 * Starts a member whose data dir is empty and that `member add` registered, with state existing;
 * waits until ready, then saves under `saveAs` the log lines of this start that say it was sent a
 * snapshot (3.4 and 3.5 word it differently; matched by meaning), so a check can tell a snapshot
 * catch-up from a log replay.
 */
export function startNewMember(target: Target, saveAs: string, source?: string): Step {
  return {
    name: `start ${target.description} with --initial-cluster-state=existing on an empty data dir`,
    source,
    async run(ctx) {
      const m = await oneMember(ctx, target);
      const before = (await m.logLines()).length;
      await m.start({ flags: { 'initial-cluster-state': 'existing' } });
      await ctx.cluster.waitReady({ timeoutMs: 30_000 });
      const lines = (await m.logLines()).slice(before).filter((l) => /snapshot/i.test(l.text) && /receiv|appl|restor/i.test(l.text));
      ctx.vars.set(
        saveAs,
        lines.slice(0, 4).map((l) => (l.text.length > 200 ? `${l.text.slice(0, 200)}…` : l.text)),
      );
      ctx.note(
        lines.length
          ? `caught up from a snapshot: ${lines[0]!.text.slice(0, 160)}`
          : 'no snapshot line in its log: caught up by log replay',
      );
    },
  };
}

/** Writes an RSA key pair for `--auth-token=jwt,...` into the run's backup volume (every member mounts it). */
export function installJwtKeys(source?: string): Step {
  return {
    name: `make an RSA key pair and put it on every member (${JWT_PUB}, ${JWT_KEY})`,
    source,
    async run(ctx) {
      await writeJwtKeys(ctx.cluster.runId, ctx.cluster.spec.image, ctx.cluster.backupVolume);
      ctx.note(`wrote ${JWT_PUB} and ${JWT_KEY} (RSA 2048; the private key is never recorded)`);
    },
  };
}

/** Live: the token the client holds now (CLIENT_TOKEN) is accepted by every member. */
export function clientTokenAccepted(): Check {
  return {
    name: "the client's token is accepted by every member",
    async run(ctx) {
      const token = ctx.vars.get(CLIENT_TOKEN);
      if (typeof token !== 'string') return fail('the client holds no token');
      const probes: TokenProbe[] = [];
      for (const m of ctx.cluster.members) probes.push(await probeToken(ctx, m, token));
      const bad = probes.filter((p) => p.verdict !== 'accepted');
      const line = `${displayToken(token)}: ${describeProbes(probes)}`;
      return bad.length ? fail(`refused by ${bad.map((p) => p.member).join(', ')}: ${line}`, probes) : pass(line, probes);
    },
  };
}

/**
 * Waits until every member has applied what was committed so far: a linearizable read through
 * each (etcd answers it only once that member has applied up to the leader's commit index). Without
 * it, a probe right after `auth enable` can reach a follower that has not applied it yet, where
 * auth is still off and any token "works".
 */
export function appliedEverywhere(source?: string): Step {
  return {
    name: 'wait until every member has applied it (a linearizable read through each)',
    source,
    async run(ctx) {
      const t0 = ctx.now();
      for (const m of ctx.cluster.members) {
        const client = m.client({ callTimeoutMs: 5000 });
        try {
          await client.get(PROBE_KEY).string();
        } finally {
          client.close();
        }
      }
      ctx.note(`every member answered a linearizable read in ${Math.round(ctx.now() - t0)} ms`);
    },
  };
}
