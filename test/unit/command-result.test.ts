import { describe, it, expect } from 'vitest';
import { lastLine, renderCommand } from '../../src/cluster/command-result.js';

describe('renderCommand', () => {
  it('leaves plain arguments unquoted', () => {
    expect(renderCommand(['etcdctl', '--endpoints=http://10.213.5.11:2379', 'endpoint', 'status', '-w', 'json'])).toBe(
      'etcdctl --endpoints=http://10.213.5.11:2379 endpoint status -w json',
    );
  });

  it('quotes arguments with spaces', () => {
    expect(renderCommand(['etcdctl', 'put', 'k', 'hello world'])).toBe("etcdctl put k 'hello world'");
  });

  it('escapes single quotes the POSIX way', () => {
    expect(renderCommand(['echo', "it's"])).toBe(`echo 'it'\\''s'`);
    expect(renderCommand(['echo', "'"])).toBe(`echo ''\\'''`);
  });

  it('quotes shell metacharacters and the empty string', () => {
    expect(renderCommand(['sh', '-c', 'a && b'])).toBe("sh -c 'a && b'");
    expect(renderCommand(['echo', '$HOME'])).toBe("echo '$HOME'");
    expect(renderCommand(['echo', '*'])).toBe("echo '*'");
    expect(renderCommand(['echo', ''])).toBe("echo ''");
  });

  it('prefixes env assignments, quoting values only', () => {
    expect(renderCommand(['etcdctl', 'get', 'k'], { ETCDCTL_API: '3', ETCDCTL_USER: 'root:s3cret' })).toBe(
      'ETCDCTL_API=3 ETCDCTL_USER=root:s3cret etcdctl get k',
    );
    expect(renderCommand(['env'], { MSG: 'two words', Q: "a'b" })).toBe(`MSG='two words' Q='a'\\''b' env`);
  });

  it('renders an empty argv with env only, or nothing', () => {
    expect(renderCommand([])).toBe('');
    expect(renderCommand([], { A: '1' })).toBe('A=1');
  });
});

describe('lastLine', () => {
  it('prefers the last non-empty line of stderr', () => {
    expect(
      lastLine({
        stdout: 'ignored\n',
        stderr: '{"level":"warn","msg":"retrying"}\nError: etcdserver: unhealthy cluster\n\n',
      }),
    ).toBe('Error: etcdserver: unhealthy cluster');
  });

  it('falls back to stdout when stderr is blank', () => {
    expect(lastLine({ stdout: 'a\nb\n', stderr: '  \n' })).toBe('b');
  });

  it('is empty when both are empty', () => {
    expect(lastLine({ stdout: '', stderr: '' })).toBe('');
  });

  it('returns a single line as is, trimmed', () => {
    expect(lastLine({ stdout: '  OK  \n', stderr: '' })).toBe('OK');
  });
});
