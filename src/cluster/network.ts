import { networkInterfaces } from 'node:os';
import { docker } from './docker-client.js';
import { runLabels } from './labels.js';

export interface ClusterNetwork {
  name: string;
  id: string;
  /** `10.213.7` : members get `.11`, `.12`, ... */
  prefix: string;
  subnet: string;
}

/** First host address of members; member i (1-based) is prefix.(10+i). */
export const memberIp = (prefix: string, index: number): string => `${prefix}.${10 + index}`;

function hostPrefixes(): Set<string> {
  const seen = new Set<string>();
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4') seen.add(a.address.split('.').slice(0, 3).join('.'));
  }
  return seen;
}

/**
 * Creates the run's own bridge with a fixed /24, so member IPs survive restarts and peers can
 * advertise them. The subnet is drawn from 10.213.0.0/16, skipping any /24 the host already uses
 * and retrying when another run (or anything else) holds it. `internal` keeps members off every
 * network but their own: nothing is published, nothing routes out.
 */
export async function createClusterNetwork(runId: string): Promise<ClusterNetwork> {
  const taken = hostPrefixes();
  const name = `firedrill-${runId}`;
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const prefix = `10.213.${Math.floor(Math.random() * 250) + 1}`;
    if (taken.has(prefix)) continue;
    const subnet = `${prefix}.0/24`;
    try {
      const net = await docker().createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: true,
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: `${prefix}.1` }] },
        Labels: runLabels(runId),
      });
      return { name, id: net.id, prefix, subnet };
    } catch (e) {
      lastError = e;
      if (!/overlap|in use|already exists/i.test(String(e))) throw e;
    }
  }
  throw new Error(`no free /24 in 10.213.0.0/16 for network ${name}: ${String(lastError)}`);
}
