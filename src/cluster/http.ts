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
