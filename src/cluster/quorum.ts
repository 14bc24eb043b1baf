/** Votes a raft decision needs among `voting` members: 2 of 3, 3 of 5. */
export const quorumOf = (voting: number): number => Math.floor(voting / 2) + 1;
