import { describe, it, expect } from 'vitest';
import { parseLog, parseLogLine } from '../../src/cluster/log-line.js';

const DT = '2026-11-21T10:33:27.981017000Z';

describe('parseLogLine: capnslog (etcd 3.4)', () => {
  it('parses a warning with a docker timestamp', () => {
    const raw =
      '2026-11-21 10:33:27.981017 W | rafthttp: the clock difference against peer 408bc8c19b2164bb is too high [1.999546714s > 1s]';
    const l = parseLogLine(`${DT} ${raw}`);
    expect(l.dockerTime).toBe(DT);
    expect(l.level).toBe('warn');
    expect(l.source).toBe('rafthttp');
    expect(l.msg).toBe('the clock difference against peer 408bc8c19b2164bb is too high [1.999546714s > 1s]');
    expect(l.text).toBe(l.msg);
    expect(l.raw).toBe(raw);
  });

  it.each([
    ['D', 'debug'],
    ['I', 'info'],
    ['N', 'notice'],
    ['W', 'warn'],
    ['E', 'error'],
    ['C', 'critical'],
  ] as const)('maps level letter %s to %s', (letter, level) => {
    const l = parseLogLine(`${DT} 2026-11-21 10:33:27.981017 ${letter} | etcdserver: something happened`);
    expect(l.level).toBe(level);
    expect(l.source).toBe('etcdserver');
  });

  it('keeps colons in the message and takes the package up to the first ": "', () => {
    const l = parseLogLine(`${DT} 2026-11-21 10:33:27.981017 I | etcdserver/api: enabled capabilities for version 3.4: [lease auth]`);
    expect(l.source).toBe('etcdserver/api');
    expect(l.msg).toBe('enabled capabilities for version 3.4: [lease auth]');
  });

  it('parses a capnslog line without a docker timestamp', () => {
    const raw = '2026-11-21 10:33:27.981017 E | rafthttp: failed to dial 4785358a93d84959 on stream MsgApp v2';
    const l = parseLogLine(raw);
    expect(l.dockerTime).toBe('');
    expect(l.level).toBe('error');
    expect(l.source).toBe('rafthttp');
    expect(l.raw).toBe(raw);
  });
});

describe('parseLogLine: zap JSON (etcd 3.5)', () => {
  const json =
    '{"level":"warn","ts":"2026-11-21T10:33:27.981Z","caller":"rafthttp/probing_status.go:82","msg":"prober found high clock drift","remote-peer-id":"4785358a93d84959","clock-drift":"1.999780884s"}';

  it('parses level, caller, msg and flattens fields into text', () => {
    const l = parseLogLine(`${DT} ${json}`);
    expect(l.dockerTime).toBe(DT);
    expect(l.level).toBe('warn');
    expect(l.source).toBe('rafthttp/probing_status.go:82');
    expect(l.msg).toBe('prober found high clock drift');
    expect(l.text).toContain('prober found high clock drift');
    expect(l.text).toContain('clock-drift=1.999780884s');
    expect(l.text).toContain('remote-peer-id=4785358a93d84959');
    expect(l.text).not.toContain('ts=');
    expect(l.text).not.toContain('caller=');
    expect(l.text).not.toContain('level=');
    expect(l.raw).toBe(json);
  });

  it('renders non-string fields as JSON', () => {
    const l = parseLogLine(
      `${DT} {"level":"info","caller":"etcdserver/server.go:2042","msg":"published local member","local-member-attributes":{"name":"etcd-1","clientURLs":["http://10.213.5.11:2379"]},"request-timeout":7,"ok":true}`,
    );
    expect(l.level).toBe('info');
    expect(l.text).toContain('local-member-attributes={"name":"etcd-1","clientURLs":["http://10.213.5.11:2379"]}');
    expect(l.text).toContain('request-timeout=7');
    expect(l.text).toContain('ok=true');
  });

  it.each([
    ['debug', 'debug'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['panic', 'panic'],
    ['fatal', 'critical'],
    ['bogus', 'unknown'],
  ] as const)('maps zap level %s to %s', (zap, level) => {
    expect(parseLogLine(`${DT} {"level":"${zap}","msg":"m"}`).level).toBe(level);
  });

  it('copes with missing level, caller and msg', () => {
    const l = parseLogLine(`${DT} {"foo":"bar"}`);
    expect(l.level).toBe('unknown');
    expect(l.source).toBe('');
    expect(l.msg).toBe('');
    expect(l.text).toContain('foo=bar');
  });

  it('falls back to plain text when a line starting with { is not JSON', () => {
    const l = parseLogLine(`${DT} {"level":"warn","msg":"cut off`);
    expect(l.level).toBe('unknown');
    expect(l.msg).toBe('{"level":"warn","msg":"cut off');
    expect(l.text).toBe(l.msg);
    expect(l.dockerTime).toBe(DT);
  });
});

describe('parseLogLine: other lines', () => {
  it('marks a Go panic line as panic', () => {
    const raw = 'panic: tocommit(211) is out of range [lastIndex(5)]. Was the raft log corrupted, truncated, or lost?';
    const l = parseLogLine(`${DT} ${raw}`);
    expect(l.level).toBe('panic');
    expect(l.msg).toBe(raw);
    expect(l.text).toBe(raw);
    expect(l.source).toBe('');
    expect(l.dockerTime).toBe(DT);
  });

  it('keeps an unparseable line as unknown, message = the line', () => {
    const raw = 'goroutine 1 [running]:';
    const l = parseLogLine(`${DT} ${raw}`);
    expect(l).toEqual({ dockerTime: DT, level: 'unknown', source: '', msg: raw, text: raw, raw });
  });

  it('does not take a non-timestamp first word as the docker time', () => {
    const l = parseLogLine('hello world');
    expect(l.dockerTime).toBe('');
    expect(l.raw).toBe('hello world');
    expect(l.level).toBe('unknown');
  });

  it('handles an empty line', () => {
    expect(parseLogLine('')).toEqual({ dockerTime: '', level: 'unknown', source: '', msg: '', text: '', raw: '' });
  });
});

describe('parseLog', () => {
  it('parses each non-empty line', () => {
    const text = [
      `${DT} 2026-11-21 10:33:27.981017 I | etcdmain: etcd Version: 3.4.23`,
      '',
      '   ',
      `${DT} {"level":"error","caller":"x.go:1","msg":"boom"}`,
      `${DT} panic: boom`,
      '',
    ].join('\n');
    const lines = parseLog(text);
    expect(lines.map((l) => l.level)).toEqual(['info', 'error', 'panic']);
    expect(lines[0]!.source).toBe('etcdmain');
    expect(lines[1]!.msg).toBe('boom');
  });

  it('returns nothing for an empty log', () => {
    expect(parseLog('')).toEqual([]);
  });
});
