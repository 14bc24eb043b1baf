import { describe, it, expect } from 'vitest';
import { EnvironmentError, FiredrillError, InputError, TimeoutError } from '../../src/run/errors.js';

describe('FiredrillError', () => {
  it('prints message and fix on one line', () => {
    const e = new FiredrillError('cluster size 0 is not possible', 'use --members 1-7');
    expect(e.toLine()).toBe('cluster size 0 is not possible; use --members 1-7');
    expect(e.message).toBe('cluster size 0 is not possible');
    expect(e.fix).toBe('use --members 1-7');
  });

  it('defaults to exit code 1 and accepts another', () => {
    expect(new FiredrillError('m', 'f').exitCode).toBe(1);
    expect(new FiredrillError('m', 'f', 42).exitCode).toBe(42);
  });

  it('is an Error named after its class', () => {
    const e = new FiredrillError('m', 'f');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FiredrillError');
    expect(String(e)).toBe('FiredrillError: m');
  });
});

describe('InputError', () => {
  it('exits 2 and is a FiredrillError', () => {
    const e = new InputError('unknown etcd version "3.9"', 'use --version 3.4 or 3.5');
    expect(e.exitCode).toBe(2);
    expect(e).toBeInstanceOf(FiredrillError);
    expect(e).toBeInstanceOf(InputError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InputError');
    expect(e.toLine()).toBe('unknown etcd version "3.9"; use --version 3.4 or 3.5');
  });
});

describe('EnvironmentError', () => {
  it('exits 3 and is a FiredrillError, not an InputError', () => {
    const e = new EnvironmentError('Docker is not running', 'start Docker');
    expect(e.exitCode).toBe(3);
    expect(e).toBeInstanceOf(FiredrillError);
    expect(e).not.toBeInstanceOf(InputError);
    expect(e.name).toBe('EnvironmentError');
    expect(e.toLine()).toBe('Docker is not running; start Docker');
  });
});

describe('TimeoutError', () => {
  it('says what timed out and after how long, exits 1', () => {
    const e = new TimeoutError('member "etcd-2" not healthy', 30000);
    expect(e.message).toBe('member "etcd-2" not healthy after 30000 ms');
    expect(e.fix).toBe('see the member logs in the report');
    expect(e.exitCode).toBe(1);
    expect(e.name).toBe('TimeoutError');
    expect(e).toBeInstanceOf(FiredrillError);
  });

  it('accepts a custom fix', () => {
    expect(new TimeoutError('leader election', 5000, 'raise --timeout').toLine()).toBe('leader election after 5000 ms; raise --timeout');
  });
});

it('can be thrown and caught as FiredrillError by the CLI', () => {
  const errors: FiredrillError[] = [new InputError('a', 'b'), new EnvironmentError('c', 'd'), new TimeoutError('e', 1)];
  expect(errors.map((e) => e.exitCode)).toEqual([2, 3, 1]);
  for (const e of errors) {
    expect(() => {
      throw e;
    }).toThrow(FiredrillError);
  }
});
