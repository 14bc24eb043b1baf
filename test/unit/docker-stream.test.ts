import { describe, it, expect } from 'vitest';
import { demuxDockerStream } from '../../src/cluster/docker-stream.js';

/** One Docker multiplexed-stream frame: type, 3 zero bytes, uint32 BE length, payload. */
function frame(type: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demuxDockerStream', () => {
  it('returns empty strings for an empty buffer', () => {
    expect(demuxDockerStream(Buffer.alloc(0))).toEqual({ stdout: '', stderr: '', all: '' });
  });

  it('splits stdout and stderr and keeps arrival order in all', () => {
    const buf = Buffer.concat([frame(1, 'out-1\n'), frame(2, 'err-1\n'), frame(1, 'out-2\n'), frame(2, 'err-2\n')]);
    expect(demuxDockerStream(buf)).toEqual({
      stdout: 'out-1\nout-2\n',
      stderr: 'err-1\nerr-2\n',
      all: 'out-1\nerr-1\nout-2\nerr-2\n',
    });
  });

  it('handles only stderr', () => {
    const r = demuxDockerStream(frame(2, 'Error: etcdserver: unhealthy cluster\n'));
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: etcdserver: unhealthy cluster\n');
    expect(r.all).toBe(r.stderr);
  });

  it('handles zero-length frames', () => {
    const buf = Buffer.concat([frame(1, ''), frame(2, 'e'), frame(1, ''), frame(1, 'o')]);
    expect(demuxDockerStream(buf)).toEqual({ stdout: 'o', stderr: 'e', all: 'eo' });
  });

  it('reads lengths as big-endian uint32 (payloads over 255 bytes)', () => {
    const big = 'x'.repeat(70_000);
    const r = demuxDockerStream(Buffer.concat([frame(1, big), frame(2, 'tail')]));
    expect(r.stdout).toBe(big);
    expect(r.stderr).toBe('tail');
  });

  it('reassembles a multi-byte UTF-8 character split across frames', () => {
    const euro = Buffer.from('€', 'utf8'); // 3 bytes
    const buf = Buffer.concat([frame(1, euro.subarray(0, 1)), frame(1, euro.subarray(1))]);
    expect(demuxDockerStream(buf).stdout).toBe('€');
  });

  it('ignores a truncated trailing header', () => {
    const whole = Buffer.concat([frame(1, 'ok\n'), frame(2, 'warn\n')]);
    for (let cut = 1; cut < 8; cut++) {
      const truncated = Buffer.concat([whole, frame(1, 'never').subarray(0, cut)]);
      expect(demuxDockerStream(truncated)).toEqual({ stdout: 'ok\n', stderr: 'warn\n', all: 'ok\nwarn\n' });
    }
  });

  it('does not throw on a frame whose payload is cut short', () => {
    const buf = Buffer.concat([frame(1, 'ok\n'), frame(2, 'cut short').subarray(0, 8 + 3)]);
    const r = demuxDockerStream(buf);
    expect(r.stdout).toBe('ok\n');
    // Whatever is kept of the cut frame must be a prefix of its payload, never more.
    expect('cut short'.startsWith(r.stderr)).toBe(true);
  });
});
