import { describe, it, expect } from 'vitest';
import {
  MAX_MEMBERS,
  MIN_MEMBERS,
  TIMING_PROFILES,
  resolveClusterSpec,
  type ClusterSpec,
  type TimingProfile,
} from '../../src/cluster/cluster-spec.js';
import { imageTag } from '../../docker/etcd-versions.js';
import { FiredrillError, InputError } from '../../src/run/errors.js';

/** Runs `fn`, expects it to throw an InputError, and returns it for closer inspection. */
function catchInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('resolveClusterSpec', () => {
  it('fills in defaults: 3 members, version 3.5, v2 on, production timing', () => {
    const r = resolveClusterSpec();
    expect(r.members).toBe(3);
    expect(r.version).toBe('3.5');
    expect(r.image).toBe(imageTag('3.5'));
    expect(r.builtImage).toBe(true);
    expect(r.enableV2).toBe(true);
    expect(r.timing).toBe('production');
    expect(r.flags).toEqual({});
    expect(r.token).toBeUndefined();
  });

  it('treats an empty spec the same as no spec', () => {
    expect(resolveClusterSpec({})).toEqual(resolveClusterSpec());
  });

  it('exposes the member bounds 1-7', () => {
    expect(MIN_MEMBERS).toBe(1);
    expect(MAX_MEMBERS).toBe(7);
  });

  it.each([1, 3, 5, 7])('accepts %i members', (members) => {
    expect(resolveClusterSpec({ members }).members).toBe(members);
  });

  it.each([0, 100, 2.5, 8, -1, Number.NaN])('rejects %s members with an InputError naming the value', (members) => {
    const e = catchInputError(() => resolveClusterSpec({ members }));
    expect(e.message).toContain(String(members));
    expect(e.fix).toContain('--members 1-7');
    expect(e.exitCode).toBe(2);
  });

  it('keeps 3.4 and builds its image tag', () => {
    const r = resolveClusterSpec({ version: '3.4' });
    expect(r.version).toBe('3.4');
    expect(r.image).toBe(imageTag('3.4'));
    expect(r.builtImage).toBe(true);
  });

  it('rejects unknown version "3.9", naming it and the known versions', () => {
    const e = catchInputError(() => resolveClusterSpec({ version: '3.9' }));
    expect(e.message).toContain('3.9');
    expect(e.fix).toContain('3.4');
    expect(e.fix).toContain('3.5');
    expect(e.fix).toContain('--image');
  });

  it('with an image set uses it as is: version custom, not one of ours', () => {
    const r = resolveClusterSpec({ image: 'quay.io/coreos/etcd:v3.5.16' });
    expect(r.version).toBe('custom');
    expect(r.image).toBe('quay.io/coreos/etcd:v3.5.16');
    expect(r.builtImage).toBe(false);
    expect(r.members).toBe(3);
    expect(r.enableV2).toBe(true);
    expect(r.timing).toBe('production');
  });

  it('ignores the version when an image is set, even an unknown one', () => {
    const r = resolveClusterSpec({ image: 'my/etcd:dev', version: '3.9' });
    expect(r.version).toBe('custom');
    expect(r.image).toBe('my/etcd:dev');
  });

  it('still validates members when an image is set', () => {
    catchInputError(() => resolveClusterSpec({ image: 'my/etcd:dev', members: 0 }));
  });

  it('passes flags, enableV2, timing and token through', () => {
    const spec: ClusterSpec = {
      members: 5,
      flags: { 'quota-backend-bytes': 16777216, 'auto-compaction-retention': null },
      enableV2: false,
      timing: 'fast',
      token: 'tok-1',
    };
    const r = resolveClusterSpec(spec);
    expect(r.members).toBe(5);
    expect(r.flags).toEqual({ 'quota-backend-bytes': 16777216, 'auto-compaction-retention': null });
    expect(r.enableV2).toBe(false);
    expect(r.timing).toBe('fast');
    expect(r.token).toBe('tok-1');
  });

  it('rejects an unknown timing profile, naming it and the known ones', () => {
    const e = catchInputError(() => resolveClusterSpec({ timing: 'ludicrous' as TimingProfile }));
    expect(e.message).toContain('ludicrous');
    expect(e.fix).toContain('production');
    expect(e.fix).toContain('fast');
  });

  it('does not accept inherited Object properties as timing profiles', () => {
    catchInputError(() => resolveClusterSpec({ timing: 'toString' as TimingProfile }));
  });

  it('throws errors the CLI can print as one line', () => {
    const e = catchInputError(() => resolveClusterSpec({ members: 8 }));
    expect(e).toBeInstanceOf(FiredrillError);
    expect(e.toLine()).toBe(`${e.message}; ${e.fix}`);
  });
});

describe('TIMING_PROFILES', () => {
  it('production is etcd default, fast is tenfold shorter', () => {
    expect(TIMING_PROFILES.production).toEqual({ 'heartbeat-interval': 100, 'election-timeout': 1000 });
    expect(TIMING_PROFILES.fast).toEqual({ 'heartbeat-interval': 10, 'election-timeout': 100 });
  });
});
