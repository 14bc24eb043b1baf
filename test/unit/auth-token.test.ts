import { describe, expect, it } from 'vitest';
import { classifyTokenAnswer, describeProbes, displayToken, simpleTokenIndex } from '../../src/runbook/auth-token.js';

describe('auth tokens in the step log', () => {
  it('shows a simple token by its first characters and its raft index', () => {
    expect(displayToken('tzEzuZqdDAMlUSZv.15')).toBe('tzEz….15');
    expect(simpleTokenIndex('tzEzuZqdDAMlUSZv.15')).toBe(15);
  });
  it('shows a JWT by its first characters and its length, never whole', () => {
    const jwt = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${'a'.repeat(100)}.${'b'.repeat(300)}`;
    const shown = displayToken(jwt);
    expect(shown).toBe(`eyJhbGciOiJS…(jwt, ${jwt.length} chars)`);
    expect(shown).not.toContain('aaaa');
    expect(simpleTokenIndex(jwt)).toBeUndefined();
  });
  it('shortens anything else too', () => {
    expect(displayToken('bogus')).toBe('bogu…(5 chars)');
  });
});

describe('reading a member answer to a token', () => {
  it('accepts 2xx', () => {
    expect(classifyTokenAnswer(200, '{"header":{}}')).toEqual({ verdict: 'accepted', message: '' });
  });
  it('reads invalid auth token on 3.4 and 3.5 alike', () => {
    const v34 = '{"error":"etcdserver: invalid auth token","message":"etcdserver: invalid auth token","code":16}';
    const v35 = '{"code":16,"message":"etcdserver: invalid auth token","details":[]}';
    expect(classifyTokenAnswer(401, v34).verdict).toBe('invalid auth token');
    expect(classifyTokenAnswer(401, v35)).toEqual({ verdict: 'invalid auth token', message: 'etcdserver: invalid auth token' });
  });
  it('reads a JWT from before auth disable/enable', () => {
    const body = '{"error":"etcdserver: revision of auth store is old","code":3}';
    expect(classifyTokenAnswer(400, body).verdict).toBe('auth store revision is old');
  });
  it('keeps other errors as errors, with their text', () => {
    expect(classifyTokenAnswer(503, 'upstream down')).toEqual({ verdict: 'error', message: 'upstream down' });
    expect(classifyTokenAnswer(500, '')).toEqual({ verdict: 'error', message: 'HTTP 500' });
  });
  it('describes probes in one line', () => {
    expect(
      describeProbes([
        { member: 'etcd-1', verdict: 'accepted', status: 200, message: '' },
        { member: 'etcd-2', verdict: 'invalid auth token', status: 401, message: 'etcdserver: invalid auth token' },
        { member: 'etcd-3', verdict: 'error', status: 0, message: 'timeout' },
      ]),
    ).toBe('etcd-1 accepted, etcd-2 invalid auth token, etcd-3 error (timeout)');
  });
});
