import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { objectsOwnedBy } from './firedrill-process.js';

function firedrill(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('node', ['bin/firedrill.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, pid: r.pid };
}

// Bad input: one line naming the value and the fix, a non-zero exit, no stack trace, nothing left.
describe('bad input to `firedrill up`', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp, number]> = [
    ['members 0', ['up', '--members', '0'], {}, /^firedrill: cluster size 0 is not possible; use --members 1-7/, 2],
    ['members 100', ['up', '--members', '100'], {}, /^firedrill: cluster size 100 is not possible; use --members 1-7/, 2],
    [
      'unknown version',
      ['up', '--version', '3.9'],
      {},
      /^firedrill: unknown etcd version "3\.9"; use --version 3\.4 \(3\.4\.23\) or 3\.5 \(3\.5\.16\)/,
      2,
    ],
    [
      'missing image',
      ['up', '--image', 'firedrill-test/no-such-image:1'],
      {},
      /^firedrill: image "firedrill-test\/no-such-image:1" is not present locally and no registry can be reached; build or load it/,
      2,
    ],
    [
      'image that cannot be built',
      ['up', '--version', '3.4'],
      // A repository name with no image yet forces a build; the mirror is a closed loopback port.
      {
        FIREDRILL_IMAGE_REPOSITORY: `firedrill-test/unbuildable-${process.pid}`,
        FIREDRILL_APT_MIRROR: 'http://127.0.0.1:9/debian',
        XDG_CACHE_HOME: `/tmp/firedrill-test-cache-${process.pid}`,
      },
      /^firedrill: cannot build the etcd 3\.4 image: apt-get update (failed|found no etcd-server in bookworm) \(.*\); check that the Debian package archive is reachable/,
      3,
    ],
    [
      'Docker unreachable',
      ['up'],
      { DOCKER_HOST: 'unix:///tmp/firedrill-no-such.sock' },
      /^firedrill: Docker engine not reachable at unix:\/\/\/tmp\/firedrill-no-such\.sock; run `firedrill doctor`/,
      3,
    ],
  ];
  it.each(cases)('%s', async (_name, args, env, line, code) => {
    const r = firedrill(args, env);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(line);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await objectsOwnedBy(r.pid!)).toBe(0);
  });
});
