import { httpFetch } from './http.js';

/**
 * What one member says about itself, read through etcd's HTTP gateway. The gateway prints 64-bit
 * IDs as decimal strings (etcdctl -w json prints bare numbers that JSON.parse rounds), so IDs stay
 * exact; we keep them in hex, the form `member list` and the logs use.
 */
export interface MemberStatus {
  /** hex, as `etcdctl member list` prints it */
  memberId: string;
  /** hex; undefined when the member knows no leader */
  leaderId?: string;
  clusterId: string;
  raftTerm: number;
  raftIndex: number;
  revision: number;
  dbSize: number;
  dbSizeInUse?: number;
  version: string;
  /** e.g. `etcdserver: no leader`, `memberID:... alarm:NOSPACE` */
  errors: string[];
}

/** Decimal uint64 string (or number-free) → hex, exactly. */
export function decToHex(dec: string | undefined): string | undefined {
  if (!dec || !/^\d+$/.test(dec) || /^0+$/.test(dec)) return undefined;
  return BigInt(dec).toString(16);
}

interface GatewayStatus {
  header?: { cluster_id?: string; member_id?: string; revision?: string; raft_term?: string };
  version?: string;
  dbSize?: string;
  dbSizeInUse?: string;
  leader?: string;
  raftIndex?: string;
  raftTerm?: string;
  errors?: string[];
}

export function parseGatewayStatus(j: GatewayStatus): MemberStatus {
  return {
    memberId: decToHex(j.header?.member_id) ?? '0',
    leaderId: decToHex(j.leader),
    clusterId: decToHex(j.header?.cluster_id) ?? '0',
    raftTerm: Number(j.raftTerm ?? j.header?.raft_term ?? 0),
    raftIndex: Number(j.raftIndex ?? 0),
    revision: Number(j.header?.revision ?? 0),
    dbSize: Number(j.dbSize ?? 0),
    dbSizeInUse: j.dbSizeInUse === undefined ? undefined : Number(j.dbSizeInUse),
    version: j.version ?? '',
    errors: j.errors ?? [],
  };
}

/** POST /v3/maintenance/status with a deadline; rejects when the member does not answer in time. */
export async function fetchMemberStatus(clientUrl: string, timeoutMs = 1000): Promise<MemberStatus> {
  const res = await httpFetch(`${clientUrl}/v3/maintenance/status`, {
    method: 'POST',
    body: '{}',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`status ${res.status}: ${await res.text()}`);
  return parseGatewayStatus((await res.json()) as GatewayStatus);
}

/** GET /health: etcd's own view (needs a leader and, on 3.4, a committed quorum read). */
export async function fetchHealth(clientUrl: string, timeoutMs = 1000): Promise<{ healthy: boolean; body: string }> {
  const res = await httpFetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.text()).trim();
  return { healthy: res.ok && /"health"\s*:\s*"true"/.test(body), body };
}
