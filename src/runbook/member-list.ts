/** One row of `etcdctl member list` (simple output), IDs in hex as etcdctl prints them. */
export interface MemberRow {
  id: string;
  status: string;
  /** Empty while the member is `unstarted` (registered by `member add`, not started yet). */
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

const urls = (field: string | undefined): string[] => (field ? field.split(',').filter(Boolean) : []);

/**
 * Parses `etcdctl member list` simple output, e.g.
 * `8e9e05c52164694d, started, etcd-1, http://10.213.7.11:2380, http://10.213.7.11:2379, false`.
 * etcdctl joins the fields with ", " and the URLs inside a field with "," (no space), so a member
 * with two peer URLs is still one field; 3.4.23 and 3.5.16 both print the trailing IsLearner field
 * (ground-truth.md point 5). Lines that are not member rows (warnings) are skipped.
 */
export function parseMemberList(stdout: string): MemberRow[] {
  const rows: MemberRow[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(', ');
    if (f.length < 5 || !/^[0-9a-f]+$/.test(f[0]!) || !/^(started|unstarted)$/.test(f[1]!)) continue;
    rows.push({
      id: f[0]!,
      status: f[1]!,
      name: f[2]!,
      peerUrls: urls(f[3]),
      clientUrls: urls(f[4]),
      isLearner: f[5] === 'true',
    });
  }
  return rows;
}
