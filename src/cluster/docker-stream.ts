/**
 * Splits Docker's multiplexed attach/log stream (8-byte frame headers: stream type, 3 zero bytes,
 * big-endian length) into stdout and stderr, and keeps both interleaved in arrival order in `all`.
 * Pure, so it is unit-tested without Docker.
 */
export function demuxDockerStream(buf: Buffer): { stdout: string; stderr: string; all: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const type = buf[at];
    const len = buf.readUInt32BE(at + 4);
    if (at + 8 + len > buf.length) break; // a frame cut short: never split a UTF-8 character
    const payload = buf.subarray(at + 8, at + 8 + len);
    (type === 2 ? err : out).push(payload);
    all.push(payload);
    at += 8 + len;
  }
  const text = (parts: Buffer[]): string => Buffer.concat(parts).toString('utf8');
  return { stdout: text(out), stderr: text(err), all: text(all) };
}
