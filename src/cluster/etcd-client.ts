import { noop } from 'cockatiel';
import { Etcd3, type IOptions } from 'etcd3';

import type { ClientTls, Credentials } from './http.js';

export interface ClientOptions {
  /** The cluster's CA and the client certificate, for a TLS cluster. */
  tls?: ClientTls;
  /** Password auth: the client authenticates and sends its token. */
  auth?: Credentials;
  /** Deadline of every unary call. A call routed to a paused member otherwise hangs forever. */
  callTimeoutMs?: number;
  dialTimeoutMs?: number;
}

/**
 * An etcd3 client that observes instead of hiding: no retries and no circuit breaker (otherwise one
 * `database space exceeded` turns the next unrelated call into "circuit open", and a retried put
 * would be recorded once but applied twice), and a deadline on every call.
 */
export function etcdClient(hosts: string[], opts: ClientOptions = {}): Etcd3 {
  const callTimeoutMs = opts.callTimeoutMs ?? 5000;
  const options: IOptions = {
    hosts,
    dialTimeout: opts.dialTimeoutMs ?? 2000,
    faultHandling: { host: () => noop, global: noop },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
    ...(opts.tls
      ? {
          credentials: {
            rootCertificate: Buffer.from(opts.tls.ca),
            privateKey: Buffer.from(opts.tls.key),
            certChain: Buffer.from(opts.tls.cert),
          },
        }
      : {}),
    ...(opts.auth ? { auth: { username: opts.auth.user, password: opts.auth.password } } : {}),
  };
  return new Etcd3(options);
}
