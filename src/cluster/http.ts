import { Agent, fetch as undiciFetch, type Dispatcher, type RequestInit, type Response } from 'undici';

/**
 * HTTP to etcd members (gateway, /health, v2 keys). A TLS cluster registers its client
 * certificate and CA for its members' origins, so every caller just passes a URL: the same code
 * reads a plain and a TLS cluster.
 */
const agents = new Map<string, Dispatcher>();

export interface ClientTls {
  ca: string;
  cert: string;
  key: string;
}

/** Trust these origins (`https://10.213.5.11:2379`) with the cluster's CA and present its client certificate. */
export function trustOrigins(urls: readonly string[], tls: ClientTls): void {
  const agent = new Agent({ connect: { ca: tls.ca, cert: tls.cert, key: tls.key } });
  for (const u of urls) agents.set(new URL(u).origin, agent);
}

export function forgetOrigins(urls: readonly string[]): void {
  for (const u of urls) agents.delete(new URL(u).origin);
}

export function httpFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const dispatcher = agents.get(new URL(url).origin);
  return undiciFetch(url, dispatcher ? { ...init, dispatcher } : init);
}

export interface Credentials {
  user: string;
  password: string;
}

const credentials = new Map<string, Credentials>();
const tokens = new Map<string, string>();

/** Password auth for these origins: `authedFetch` gets (and renews) a token per member. */
export function authorizeOrigins(urls: readonly string[], creds: Credentials): void {
  for (const u of urls) credentials.set(new URL(u).origin, creds);
}

export function forgetCredentials(urls: readonly string[]): void {
  for (const u of urls) {
    credentials.delete(new URL(u).origin);
    tokens.delete(new URL(u).origin);
  }
}

/**
 * For the few gateway calls etcd guards with auth (key reads). The token is per member: simple
 * tokens live in one member's memory, so a member that restarted answers `invalid auth token`
 * (the very failure of the auth-invalid-token runbook); then the token is renewed once. Calls that
 * need no auth (status, /health) never authenticate: that is a raft proposal, impossible without quorum.
 */
export async function authedFetch(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  const origin = new URL(url).origin;
  const creds = credentials.get(origin);
  if (!creds) return httpFetch(url, init);
  for (let attempt = 0; ; attempt++) {
    let token = tokens.get(origin);
    if (!token) {
      const res = await httpFetch(`${origin}/v3/auth/authenticate`, {
        method: 'POST',
        body: JSON.stringify({ name: creds.user, password: creds.password }),
        signal: init.signal,
      });
      token = ((await res.json()) as { token?: string }).token;
      if (!token) throw new Error(`authenticate as ${creds.user} at ${origin} failed (HTTP ${res.status})`);
      tokens.set(origin, token);
    }
    const res = await httpFetch(url, { ...init, headers: { ...init.headers, Authorization: token } });
    if (attempt > 0 || res.ok) return res;
    const body = await res.clone().text();
    if (!/invalid auth token|auth token|revision of auth store is old/.test(body)) return res;
    tokens.delete(origin);
  }
}
