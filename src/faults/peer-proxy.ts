import { readFileSync } from 'node:fs';
import { docker } from '../cluster/docker-client.js';
import { PEER_PORT, PEER_PROXY_PORT } from '../cluster/etcd-flags.js';
import type { Member } from '../cluster/member.js';
import { ensurePeerProxyBinary } from '../setup/peer-proxy-binary.js';
import { renderConfig, type ProxyRule } from './proxy-config.js';

// The peer proxy of a `peerProxy: true` cluster: docker/peer-proxy/peer-proxy.c, run inside each
// member's container (so it lives in the member's network namespace, listens on the member's own
// IP and talks to 127.0.0.1: nothing runs on the host or on the bridge gateway), and started again
// after every start of the member (Member.afterStart), since a container's processes end with it.
// It dies with the container: nothing of it can outlive the run. The member advertises the
// proxy's port (2381) as its peer URL and still listens on 2380, which only the proxy dials.

export const PROXY_BINARY = 'firedrill-peer-proxy';
export const PROXY_CONFIG = 'firedrill-peer-proxy.conf';

/** The rules in force per member container, by injection: the config file is their union. */
const active = new Map<string, Map<string, ProxyRule[]>>();

/** Prepares members of a peerProxy cluster: their proxy starts after each start of the member. */
export function attachPeerProxies(members: readonly Member[]): void {
  const binary = readFileSync(ensurePeerProxyBinary());
  for (const m of members) m.afterStart.add((member) => startPeerProxy(member, binary));
}

/** Copies the proxy (and its current config) into the member and starts it, detached. */
async function startPeerProxy(m: Member, binary: Buffer): Promise<void> {
  await m.putFiles('/', [
    { name: PROXY_BINARY, mode: 0o755, content: binary },
    { name: PROXY_CONFIG, mode: 0o644, content: Buffer.from(configOf(m)) },
  ]);
  const c = docker().getContainer(m.containerName);
  const exec = await c.exec({
    Cmd: [`/${PROXY_BINARY}`, `${m.ip}:${PEER_PROXY_PORT}`, `127.0.0.1:${PEER_PORT}`, `/${PROXY_CONFIG}`],
    AttachStdout: false,
    AttachStderr: false,
  });
  // Detached, Docker answers at once; the answer is still a stream, and an unread one keeps its
  // socket (and Node) alive: close it.
  const answer = (await exec.start({ Detach: true })) as unknown as { destroy?: () => void } | undefined;
  answer?.destroy?.();
  // It either keeps running or exits 0 at once (already running: the port is taken by itself).
  for (let i = 0; i < 10; i++) {
    const s = await exec.inspect();
    if (!s.Running && s.ExitCode !== 0 && s.ExitCode !== null) throw new Error(`the peer proxy of ${m.name} exited with ${s.ExitCode}`);
    if (!s.Running || i >= 2) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function configOf(m: Member): string {
  return renderConfig([...(active.get(m.containerName)?.values() ?? [])].flat());
}

/** How long a running proxy may take to put a new config in force (it polls every 100 ms). */
const APPLY_TIMEOUT_MS = 5000;

/**
 * Writes the member's proxy config from the rules in force, and waits until the proxy says it has
 * them in force (it writes the text it applied to `<config>.applied`), so a fault is in force when
 * its inject returns, however loaded the machine is.
 */
async function writeConfig(m: Member): Promise<void> {
  const s = await m.state();
  // A member that is not there has no proxy; it gets the config when it is started again.
  if (s === 'absent') return;
  const text = configOf(m);
  await m.putFiles('/', [{ name: PROXY_CONFIG, mode: 0o644, content: Buffer.from(text) }]);
  // A frozen or stopped member's proxy reads it when it runs again.
  if (s !== 'running') return;
  const deadline = performance.now() + APPLY_TIMEOUT_MS;
  for (;;) {
    const applied = await m.exec(['cat', `/${PROXY_CONFIG}.applied`]);
    if (applied.ok && applied.stdout === text) return;
    if (performance.now() > deadline)
      throw new Error(`the peer proxy of ${m.name} did not put its new config in force within ${APPLY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Puts an injection's rules in force on each member's proxy. */
export async function addProxyRules(id: string, rules: ReadonlyMap<Member, ProxyRule[]>): Promise<void> {
  for (const [m, r] of rules) {
    const mine = active.get(m.containerName) ?? new Map<string, ProxyRule[]>();
    mine.set(id, r);
    active.set(m.containerName, mine);
    await writeConfig(m);
  }
}

/** Takes an injection's rules off again (idempotent); a member gone meanwhile is skipped. */
export async function removeProxyRules(id: string, members: readonly Member[]): Promise<void> {
  const errors: string[] = [];
  for (const m of members) {
    const mine = active.get(m.containerName);
    if (!mine?.delete(id)) continue;
    if (mine.size === 0) active.delete(m.containerName);
    await writeConfig(m).catch((e: unknown) => errors.push(`${m.name}: ${e instanceof Error ? e.message : String(e)}`));
  }
  if (errors.length) throw new Error(`could not rewrite the peer proxy config: ${errors.join('; ')}`);
}

/** The config text a member's proxy reads now (for tests and reports). */
export async function readProxyConfig(m: Member): Promise<string> {
  return (await m.exec(['cat', `/${PROXY_CONFIG}`])).stdout;
}
