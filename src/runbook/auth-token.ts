/**
 * Pure logic for the auth-invalid-token drill: how a token is shown in the step log and how a
 * member's answer to a request carrying it is read. No Docker, no HTTP: unit-tested on its own.
 */

/** What a member made of a token: accepted, rejected as `invalid auth token`, or anything else. */
export type TokenVerdict = 'accepted' | 'invalid auth token' | 'auth store revision is old' | 'error';

/** One member's answer to a key read carrying an explicit `Authorization: <token>` header. */
export interface TokenProbe {
  member: string;
  verdict: TokenVerdict;
  /** HTTP status, or 0 when the request did not complete (timeout, refused). */
  status: number;
  /** etcd's error message (or the transport error), empty when accepted. */
  message: string;
}

/**
 * A simple token is `<16 random chars>.<raft index>` (the index of the Authenticate entry, which
 * is worth seeing); a JWT is three base64url parts. Only enough is shown to tell tokens apart: a
 * token is a credential until it expires, so it is not written out whole.
 */
export function displayToken(token: string): string {
  const parts = token.split('.');
  if (parts.length === 3) return `${token.slice(0, 12)}…(jwt, ${token.length} chars)`;
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return `${parts[0]!.slice(0, 4)}….${parts[1]}`;
  return `${token.slice(0, 4)}…(${token.length} chars)`;
}

/** The raft index a simple token was issued at, or undefined for other tokens. */
export function simpleTokenIndex(token: string): number | undefined {
  const m = /^[A-Za-z]{16}\.(\d+)$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads a gateway answer. 3.4 answers `{"error":"etcdserver: invalid auth token",...,"code":16}`,
 * 3.5 `{"code":16,"message":"etcdserver: invalid auth token"}`: matched by meaning, not by shape.
 * A JWT whose auth-store revision predates `auth disable`/`enable` gets `revision of auth store is old`.
 */
export function classifyTokenAnswer(status: number, body: string): { verdict: TokenVerdict; message: string } {
  if (status >= 200 && status < 300) return { verdict: 'accepted', message: '' };
  let message = body.trim();
  try {
    const j = JSON.parse(body) as { message?: string; error?: string };
    message = j.message ?? j.error ?? message;
  } catch {
    // not JSON (a proxy or transport error): keep the text
  }
  if (/invalid auth token/.test(message)) return { verdict: 'invalid auth token', message };
  if (/revision of auth store is old/.test(message)) return { verdict: 'auth store revision is old', message };
  return { verdict: 'error', message: message || `HTTP ${status}` };
}

/** `etcd-1 accepted, etcd-2 invalid auth token, ...`: one line for notes and verdicts. */
export function describeProbes(probes: readonly TokenProbe[]): string {
  return probes.map((p) => `${p.member} ${p.verdict === 'error' ? `error (${p.message})` : p.verdict}`).join(', ');
}
