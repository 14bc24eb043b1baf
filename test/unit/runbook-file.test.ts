import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/run/errors.js';
import { compileRunbookData, loadRunbookFile, parseRunbookYaml } from '../../src/runbook-file/load.js';
import { renderSchema, SCHEMA_PATH } from '../../scripts/runbook-schema.js';
import { splitWords } from '../../src/runbook-file/words.js';
import { autoFlags } from '../../src/runbook-file/etcdctl-argv.js';
import { expandExpect, judgeCommand } from '../../src/runbook-file/command-expect.js';
import { PlaceholderResolver } from '../../src/runbook-file/placeholders.js';
import type { RunContext } from '../../src/run/run-context.js';

const BASE = `id: t
title: test
cluster: { members: 3, version: '3.5' }
fault:
  - kill: leader
steps:
  - etcdctl: member list
    on: healthy
checks: [healthy]
`;

/** The one line a bad file produces (it must be an InputError). */
function errorOf(text: string): string {
  try {
    parseRunbookYaml(text, 'rb.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).toLine();
  }
  throw new Error('no error');
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.(ya?ml|ts)$/.test(d.name) ? [join(dir, d.name)] : [],
  );

describe('runbook files', () => {
  it('the base file is valid and compiles to a scenario', () => {
    const { scenario } = parseRunbookYaml(BASE, 'rb.yaml');
    expect(scenario.id).toBe('t');
    expect(scenario.sizes).toEqual([3]);
    expect(scenario.versions).toEqual(['3.5']);
    expect(scenario.fault).toHaveLength(1);
    expect(scenario.runbook[0]!.source).toBe('rb.yaml:7:5');
    expect(scenario.checks.map((c) => c.name)).toContain('every member healthy');
  });

  it.each(files('examples/runbooks'))('%s validates and compiles', async (path) => {
    const { scenario } = await loadRunbookFile(path);
    expect(scenario.runbook.length).toBeGreaterThan(0);
    expect(scenario.checks.length).toBeGreaterThan(0);
    // Every step says where it comes from: a seed section or its place in the file.
    expect(scenario.runbook.every((s) => s.source)).toBe(true);
  });

  it('schema/runbook.schema.json is the one scripts/runbook-schema.ts writes (npm run schema after changing the schema)', async () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await renderSchema());
  });

  // Each bad input: [what, file text, the position, a piece of the message].
  const bad: Array<[string, string, string, RegExp]> = [
    ['bad YAML', 'id: [unclosed\n', 'rb.yaml:2:1', /bad YAML/],
    ['a tab for indentation', BASE.replace('  - kill: leader', '\t- kill: leader'), 'rb.yaml:5:1', /bad YAML/],
    ['a duplicate key', BASE.replace('title: test', 'title: test\ntitle: again'), 'rb.yaml:3:1', /bad YAML.*[Mm]ap keys must be unique/],
    [
      'an unknown step',
      BASE.replace('  - kill: leader', '  - reboot: etcd-1'),
      'rb.yaml:5:5',
      /unknown step "reboot"; expected one of: etcdctl, sh/,
    ],
    [
      'an unknown placeholder',
      BASE.replace('member list', 'member remove ${member.etcd-2.uuid}'),
      'rb.yaml:7:28',
      /\$\{member\.etcd-2\.uuid\}.*field/,
    ],
    [
      'a placeholder for a member that does not exist',
      BASE.replace('member list', 'member remove ${member.etcd-9.id}'),
      'rb.yaml:7:28',
      /no member "etcd-9"/,
    ],
    [
      'an unknown placeholder word',
      BASE.replace('member list', 'get ${leadr.name}'),
      'rb.yaml:7:18',
      /unknown placeholder \$\{leadr\.name\}/,
    ],
    ['a wrong type', BASE.replace('members: 3', 'members: three'), 'rb.yaml:3:21', /members: expected a cluster size.*got "three"/],
    ['an unquoted version', BASE.replace("version: '3.5'", 'version: 3.5'), 'rb.yaml:3:33', /quote it/],
    ['an unknown top-level key', BASE.replace('checks:', 'chekcs:'), 'rb.yaml:9:1', /unknown key "chekcs"; expected one of: .*checks/],
    ['a missing section', 'id: t\ntitle: t\nfault:\n  - kill: leader\nchecks: [healthy]\n', 'rb.yaml:1:1', /missing "steps"/],
    [
      'an unknown option on a step',
      BASE.replace('    on: healthy', '    onn: healthy'),
      'rb.yaml:8:5',
      /unknown key "onn"; expected one of: etcdctl, .*on/,
    ],
    ['an unknown target', BASE.replace('on: healthy', 'on: primary'), 'rb.yaml:8:9', /unknown target "primary"/],
    ['a member the cluster does not have', BASE.replace('kill: leader', 'kill: etcd-4'), 'rb.yaml:5:11', /no member "etcd-4"/],
    ['a shell variable', BASE.replace('member list', 'compact $revision'), 'rb.yaml:7:22', /use the placeholder \$\{revision\}/],
    ['a pipe in an etcdctl step', BASE.replace('member list', 'endpoint status | grep x'), 'rb.yaml:7:30', /needs a shell.*sh: step/],
    [
      'a bad regular expression',
      BASE.replace('    on: healthy', "    expect: { stdout: '(' }"),
      'rb.yaml:8:23',
      /not a regular expression/,
    ],
    [
      'an unknown placeholder in an expect pattern',
      BASE.replace('    on: healthy', "    expect: { stdout: 'is ${leadr.ip}' }"),
      'rb.yaml:8:27',
      /unknown placeholder \$\{leadr\.ip\}/,
    ],
    [
      'a bad regular expression around a placeholder',
      BASE.replace('    on: healthy', "    expect: { stdout: '(${leader.ip}' }"),
      'rb.yaml:8:23',
      /not a regular expression/,
    ],
    ['an unknown check', BASE.replace('[healthy]', '[helthy]'), 'rb.yaml:9:10', /expected a check: healthy, ready/],
    [
      'two actions in one step',
      BASE.replace('  - kill: leader', '  - kill: leader\n    wipe: failed'),
      'rb.yaml:6:5',
      /two actions \(kill and wipe\)/,
    ],
    ['a bad duration', BASE.replace('  - kill: leader', '  - kill: leader\n  - sleep: soon'), 'rb.yaml:6:12', /expected a duration/],
    [
      'heal of nothing',
      BASE.replace('  - kill: leader', '  - kill: leader\n  - heal: paused'),
      'rb.yaml:6:11',
      /nothing was paused as "paused"/,
    ],
    ['a saved result that was never saved', BASE.replace('member list', 'get ${saved.rev}'), 'rb.yaml:7:18', /names no result saved/],
    ['db-shrank without a db size', BASE.replace('[healthy]', '[healthy, db-shrank]'), 'rb.yaml:9:19', /note-db-size/],
    ['a step that is not a map', BASE.replace('  - kill: leader', '  - kill leader'), 'rb.yaml:5:5', /expected a step/],
    ['not a runbook at all', '- just\n- a list\n', 'rb.yaml:1:1', /expected a runbook/],
  ];
  it.each(bad)('%s: one line with line and column', (_what, text, at, message) => {
    const line = errorOf(text);
    expect(line).not.toContain('\n');
    expect(line.startsWith(`${at}: `), line).toBe(true);
    expect(line).toMatch(message);
  });

  it('a .ts runbook file is validated the same way, its errors located by path', () => {
    const e = (() => {
      try {
        compileRunbookData({ id: 't', title: 't', fault: [{ kill: 'leader' }], steps: [{ kill: 42 }], checks: ['healthy'] }, 'rb.ts');
      } catch (err) {
        return err as InputError;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e!.toLine()).toMatch(/^rb\.ts: steps\[0\]\.kill: expected a target/);
  });

  it('splits pasted etcdctl commands as sh would, continuation lines included', () => {
    expect(splitWords('--write-out="json" ${tls} \\\n --endpoints="${endpoints}" \\\n endpoint status')).toEqual({
      words: ['--write-out=json', '${tls}', '--endpoints=${endpoints}', 'endpoint', 'status'],
    });
    expect(splitWords("put /k 'a b'")).toEqual({ words: ['put', '/k', 'a b'] });
  });

  it('adds the endpoint, TLS flags and user only when the pasted command does not give them', () => {
    const c = { clientUrl: 'https://m1:2379', tls: true, user: 'root:pw', api: 3 as const };
    expect(autoFlags(['member', 'list'], c)).toEqual([
      '--endpoints=https://m1:2379',
      '--cacert=/etc/etcd/pki/ca.crt',
      '--cert=/etc/etcd/pki/client.crt',
      '--key=/etc/etcd/pki/client.key',
      '--user=root:pw',
    ]);
    expect(autoFlags(['${tls}', '${auth}', '--endpoints=${endpoints}', 'compact', '${revision}'], c)).toEqual([]);
    expect(autoFlags(['--cacert=/x', '--user', 'u:p', '--endpoints', 'e', 'get', 'k'], c)).toEqual([]);
    expect(autoFlags(['get', '/name1'], { ...c, api: 2 })).toEqual([
      '--endpoints=https://m1:2379',
      '--ca-file=/etc/etcd/pki/ca.crt',
      '--cert-file=/etc/etcd/pki/client.crt',
      '--key-file=/etc/etcd/pki/client.key',
    ]);
    expect(autoFlags(['get', 'k'], { clientUrl: 'http://m1:2379', tls: false, api: 3 })).toEqual(['--endpoints=http://m1:2379']);
  });

  // Random files: YAML assembled from pieces of real runbooks and random text. Whatever comes in,
  // the answer is a compiled scenario or one InputError line, never any other exception.
  it('random files give a valid result or an InputError, never another exception', () => {
    const word = fc.constantFrom(
      'leader',
      'failed',
      'etcd-1',
      'etcd-7',
      'healthy',
      'x',
      '${endpoints}',
      '${revision}',
      '${nope}',
      '3.5',
      "'3.4'",
      '0',
      '-1',
      'true',
      'null',
      '[',
      '{',
      ':',
      '"',
      "'",
      '|',
      '\\',
      '$x',
      '- ',
      '#',
    );
    const value = fc.oneof(word, fc.string({ maxLength: 12 }), fc.integer().map(String));
    const key = fc.constantFrom(
      'etcdctl',
      'sh',
      'kill',
      'stop',
      'start',
      'wipe',
      'wait',
      'expect',
      'sleep',
      'on',
      'flags',
      'save',
      'until',
      'timeout',
      'exit',
      'stdout',
      'bogus',
      'heal',
      'write',
      'keys',
      'copy-data-dir',
    );
    const step = fc
      .array(fc.tuple(key, value), { minLength: 1, maxLength: 3 })
      .map((kvs) => kvs.map(([k, v], i) => `${i ? '    ' : '  - '}${k}: ${v}`).join('\n'));
    // Steps as runbooks hold them, so a good share of files get past the schema into compilation.
    const realStep = fc.constantFrom(
      '  - kill: leader',
      '  - start: failed',
      '  - wipe: failed',
      '  - sleep: 1s',
      '  - etcdctl: member list',
      '  - etcdctl: compact ${revision}\n    on: etcd-1',
      '  - etcdctl: member remove ${failed.id}\n    expect: { exit: 0 }',
      '  - wait: { until: ready, timeout: 5s }',
      '  - expect: healthy',
      '  - sh: ls ${data-dir}\n    on: all',
    );
    const anyStep = fc.oneof({ arbitrary: realStep, weight: 3 }, { arbitrary: step, weight: 1 });
    const section = (name: string) => fc.array(anyStep, { maxLength: 4 }).map((s) => `${name}:\n${s.join('\n')}`);
    const file = fc
      .tuple(
        fc.boolean(),
        section('fault'),
        section('steps'),
        fc.array(fc.constantFrom('healthy', 'ready', 'members-agree', 'bogus', '{ v2-keys: absent }', '3'), { maxLength: 3 }),
        fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })),
      )
      .map(([withCluster, fault, steps, checks, junk]) =>
        [
          `id: t`,
          `title: t`,
          withCluster ? `cluster: { members: 3, version: '3.5' }` : '',
          fault,
          steps,
          `checks: [${checks.join(', ')}]`,
          junk,
        ].join('\n'),
      );
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(file, fc.string({ maxLength: 200 })), (text) => {
        try {
          const { scenario } = parseRunbookYaml(text, 'rb.yaml');
          expect(scenario.id).toBe('t');
          valid++;
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.toLine()).not.toContain('\n');
          expect(e.toLine()).toMatch(/^rb\.yaml(:\d+:\d+)?: /);
        }
      }),
      { numRuns: 1000 },
    );
    // The generator reaches past the schema into compilation: some random files are valid.
    expect(valid).toBeGreaterThan(0);
  }, 60_000); // a loaded machine: 1000 parses take a few seconds
});

describe('placeholders in expect patterns', () => {
  // Just what the resolver reads for member fields: the members and the refs.
  const m1 = { name: 'etcd-1', ip: '10.213.5.11', clientUrl: 'http://10.213.5.11:2379', peerUrl: 'http://10.213.5.11:2380' };
  const ctx = {
    cluster: { members: [m1], member: () => m1, spec: {} },
    refs: new Map([['failed', [m1]]]),
    ref: () => [m1],
    vars: new Map(),
  } as unknown as RunContext;

  it('are matched literally: the dots of an IP are not wildcards', async () => {
    const e = await expandExpect({ exit: 0, output: 'status of endpoint ${failed.client-url} \\(' }, (p) =>
      new PlaceholderResolver(ctx, m1 as never).pattern(p),
    );
    expect(e.output).toBe('status of endpoint (?:http://10\\.213\\.5\\.11:2379) \\(');
    const judged = (out: string) =>
      judgeCommand({ ok: true, exitCode: 0, stdout: out, stderr: '', where: 'etcd-1', command: '' } as never, e).status;
    expect(judged('Failed to get the status of endpoint http://10.213.5.11:2379 (context deadline exceeded)')).toBe('pass');
    expect(judged('Failed to get the status of endpoint http://10x213x5x11:2379 (context deadline exceeded)')).toBe('fail');
    expect(judged('Failed to get the status of endpoint http://10.213.5.12:2379 (context deadline exceeded)')).toBe('fail');
  });

  it('each value is one group: a quantifier after it applies to all of it', async () => {
    const e = await expandExpect({ output: '^a${failed.ip}?b$' }, (p) => new PlaceholderResolver(ctx, m1 as never).pattern(p));
    const judged = (out: string) =>
      judgeCommand({ ok: true, exitCode: 0, stdout: out, stderr: '', where: 'etcd-1', command: '' } as never, e).status;
    expect(judged('ab')).toBe('pass');
    expect(judged('a10.213.5.11b')).toBe('pass');
    expect(judged('a10.213.5.1b')).toBe('fail');
  });
});
