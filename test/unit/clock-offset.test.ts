import { describe, expect, it } from 'vitest';
import { formatOffset, offsetNs, parseClockState } from '../../src/clock/clock-offset.js';
import { resolveClockSkew } from '../../src/clock/member-clock.js';
import { InputError } from '../../src/run/errors.js';
import { clockHelperUnavailable } from '../../src/setup/clock-helper.js';

describe('offsetNs', () => {
  it('takes milliseconds as numbers', () => {
    expect(offsetNs(2000)).toBe(2_000_000_000n);
    expect(offsetNs(-7_200_000)).toBe(-7_200_000_000_000n);
    expect(offsetNs(0.5)).toBe(500_000n);
  });
  it('takes Go-style durations and bare nanoseconds', () => {
    expect(offsetNs('+2h')).toBe(7_200_000_000_000n);
    expect(offsetNs('-1.5s')).toBe(-1_500_000_000n);
    expect(offsetNs('900ms')).toBe(900_000_000n);
    expect(offsetNs('1h30m')).toBe(5_400_000_000_000n);
    expect(offsetNs('250us')).toBe(250_000n);
    expect(offsetNs('-42')).toBe(-42n);
    expect(offsetNs('1.25ms')).toBe(1_250_000n);
  });
  it('refuses anything else with a one-line InputError naming the value', () => {
    for (const bad of ['', '2 hours', 'h', '+', '1x', '200y', Number.NaN, 1e20]) {
      expect(() => offsetNs(bad)).toThrow(InputError);
    }
    expect(() => offsetNs('soon')).toThrow(/clock offset "soon" is not valid/);
  });
});

describe('formatOffset', () => {
  it('prints the shortest exact form', () => {
    expect(formatOffset(7_200_000_000_000n)).toBe('+2h');
    expect(formatOffset(-1_500_000_000n)).toBe('-1.5s');
    expect(formatOffset(900_000_000n)).toBe('+900ms');
    expect(formatOffset(0n)).toBe('0s');
    expect(formatOffset(5_400_000_000_000n)).toBe('+1.5h');
    expect(formatOffset(1n)).toBe('+1ns');
  });
  it('round-trips through offsetNs', () => {
    for (const ns of [7_200_000_000_000n, -1_500_000_000n, 900_000_000n, 123_456_789n, -1n]) {
      expect(offsetNs(formatOffset(ns))).toBe(ns);
    }
  });
});

describe('parseClockState', () => {
  it('reads what the helper prints', () => {
    const s = parseClockState('pid=20041 patched=1 realtime_ns=-7200000000000 monotonic_ns=0 paused_us=265 threads=7\n');
    expect(s).toEqual({ pid: 20041, patched: true, realtimeNs: -7_200_000_000_000n, monotonicNs: 0n, pausedUs: 265, threads: 7 });
    expect(parseClockState('pid=5 patched=0 realtime_ns=0 monotonic_ns=0').pausedUs).toBeUndefined();
  });
  it('throws on output that is not a state line', () => {
    expect(() => parseClockState('clockskew: no process 5')).toThrow(/no pid/);
  });
});

describe('clockHelperUnavailable', () => {
  it('says why in one line: x86_64 only, root only, gcc or its static libc missing; built or buildable is fine', () => {
    const x64 = { arch: 'x64', built: false, gcc: true, staticLibc: true, root: true };
    expect(clockHelperUnavailable({ ...x64, arch: 'arm64', built: true })).toMatch(/x86_64 vDSO; this machine is arm64/);
    expect(clockHelperUnavailable({ ...x64, gcc: false, staticLibc: false })).toMatch(/gcc is missing/);
    expect(clockHelperUnavailable({ ...x64, staticLibc: false })).toMatch(/static C library \(libc\.a\) is missing.*libc6-dev/);
    expect(clockHelperUnavailable({ ...x64, built: true, gcc: false, staticLibc: false })).toBeUndefined();
    expect(clockHelperUnavailable({ ...x64, built: true, root: false })).toMatch(/needs root/);
    expect(clockHelperUnavailable(x64)).toBeUndefined();
  });
});

describe('resolveClockSkew', () => {
  it('refuses unknown members and bad offsets with one line; drops zero offsets', () => {
    const e = (() => {
      try {
        resolveClockSkew({ 'etcd-4': '+2s' }, 3);
      } catch (x) {
        return x as InputError;
      }
    })();
    expect(e?.toLine()).toMatch(/clockSkew names member "etcd-4".*; use etcd-1 … etcd-3/);
    expect(() => resolveClockSkew({ node1: 1000 }, 3)).toThrow(InputError);
    expect(() => resolveClockSkew({ 'etcd-1': 'soon' }, 3)).toThrow(/clock offset "soon"/);
    expect(resolveClockSkew({ 'etcd-1': 0 }, 3).size).toBe(0);
    expect(resolveClockSkew(undefined, 3).size).toBe(0);
  });
});
