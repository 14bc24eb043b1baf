/**
 * What `etcdctl member add` prints, read in one place.
 *
 * etcdctl formats IDs with `%16x`: an ID below 2^60 is padded with spaces, not zeros
 * (`Member   b91a945513e4a1 added to cluster …`, seen in CI about one add in sixteen),
 * while `member list` prints the same ID unpadded. So the ID is read across any run of
 * spaces and returned without them, in the form `member list` uses.
 */
export function memberIdFromMemberAdd(stdout: string): string | undefined {
  return /Member\s+([0-9a-f]+)\s+added/.exec(stdout)?.[1];
}

/** The `ETCD_INITIAL_CLUSTER="..."` value `etcdctl member add` prints, for the new member's start. */
export function initialClusterFromMemberAdd(stdout: string): string | undefined {
  return /^ETCD_INITIAL_CLUSTER="([^"]+)"/m.exec(stdout)?.[1];
}
