/**
 * Reads through etcd's HTTP gateway (`/v3/...`), member by member. Checks use it rather than a
 * cluster-wide client so that "is the data there" is asked of every member, not of whichever one
 * answers first; and the gateway prints 64-bit IDs as exact strings.
 */
import { authedFetch, httpFetch } from './http.js';
import { decToHex } from './member-status.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

/** The first key after every key with this prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      bytes[i]! += 1;
      return bytes.subarray(0, i + 1).toString('latin1');
    }
  }
  return '\0';
}

async function post<T>(clientUrl: string, path: string, body: unknown, timeoutMs: number, auth = false): Promise<T> {
  const res = await (auth ? authedFetch : httpFetch)(`${clientUrl}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.trim()}`);
  return JSON.parse(text) as T;
}

export interface KeyValue {
  key: string;
  value: string;
  modRevision: number;
}

/** Every key under `prefix` as this member has it; `serializable` reads its local copy, no quorum. */
export async function rangePrefix(
  clientUrl: string,
  prefix: string,
  opts: { serializable?: boolean; timeoutMs?: number } = {},
): Promise<{ kvs: KeyValue[]; revision: number }> {
  const j = await post<{ header?: { revision?: string }; kvs?: Array<{ key?: string; value?: string; mod_revision?: string }> }>(
    clientUrl,
    '/v3/kv/range',
    // An empty prefix means every key: etcd spells that key "\0", range_end "\0".
    {
      key: b64(prefix || '\0'),
      range_end: Buffer.from(prefix ? prefixEnd(prefix) : '\0', 'latin1').toString('base64'),
      serializable: opts.serializable ?? false,
    },
    opts.timeoutMs ?? 3000,
    true, // key reads are the gateway calls etcd guards with auth
  );
  return {
    revision: Number(j.header?.revision ?? 0),
    kvs: (j.kvs ?? []).map((kv) => ({ key: unb64(kv.key), value: unb64(kv.value), modRevision: Number(kv.mod_revision ?? 0) })),
  };
}

export interface ListedMember {
  id: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

/** `member list` as this member sees it (3.5 needs quorum for it; 3.4 answers locally). */
export async function memberList(clientUrl: string, timeoutMs = 3000): Promise<ListedMember[]> {
  const j = await post<{
    members?: Array<{ ID?: string; name?: string; peerURLs?: string[]; clientURLs?: string[]; isLearner?: boolean }>;
  }>(clientUrl, '/v3/cluster/member/list', {}, timeoutMs);
  return (j.members ?? []).map((m) => ({
    id: decToHex(m.ID) ?? '0',
    name: m.name ?? '',
    peerUrls: m.peerURLs ?? [],
    clientUrls: m.clientURLs ?? [],
    isLearner: m.isLearner ?? false,
  }));
}

/** Active alarms (`NOSPACE`, `CORRUPT`), with the raising member in hex. */
export async function alarms(clientUrl: string, timeoutMs = 3000): Promise<Array<{ memberId: string; alarm: string }>> {
  const j = await post<{ alarms?: Array<{ memberID?: string; alarm?: string }> }>(
    clientUrl,
    '/v3/maintenance/alarm',
    { action: 'GET' },
    timeoutMs,
  );
  return (j.alarms ?? []).map((a) => ({ memberId: decToHex(a.memberID) ?? '0', alarm: a.alarm ?? 'NONE' }));
}
