import { etcdctlTlsFlags } from '../cluster/etcd-flags.js';

export interface AutoFlagContext {
  /** The member's own client URL: the default endpoint, as on that host. */
  clientUrl: string;
  tls: boolean;
  /** `root:<password>` when password auth is on. */
  user?: string;
  api: 2 | 3;
}

/**
 * The flags an operator's shell profile would hold and a pasted command may leave out: the
 * endpoint, the TLS flags, the user. Each is added only when the command (as written, before
 * placeholders) does not give it itself, so nothing is passed twice.
 */
export function autoFlags(words: readonly string[], c: AutoFlagContext): string[] {
  const has = (re: RegExp): boolean => words.some((w) => re.test(w));
  return [
    ...(has(/^--endpoints(=|$)/) ? [] : [`--endpoints=${c.clientUrl}`]),
    ...(c.tls && !has(/^(--(cacert|ca-file|cert|cert-file)(=|$)|\$\{tls(-v2)?\}$)/) ? etcdctlTlsFlags(c.api) : []),
    // v3 auth guards only the v3 API.
    ...(c.user && c.api === 3 && !has(/^(--user(=|$)|\$\{auth\}$)/) ? [`--user=${c.user}`] : []),
  ];
}
