import Docker from 'dockerode';
import { EnvironmentError } from '../run/errors.js';

let shared: Docker | undefined;

/** The one dockerode client of the process (honours DOCKER_HOST like the docker CLI). */
export function docker(): Docker {
  shared ??= new Docker();
  return shared;
}

/** Where we are talking to, for error messages. */
export function dockerHost(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/** Resolves when the engine answers a ping within `ms`; rejects with a one-line EnvironmentError otherwise. */
export async function assertDockerReachable(ms = 3000): Promise<void> {
  try {
    await withTimeout(docker().ping(), ms);
  } catch {
    throw new EnvironmentError(
      `Docker engine not reachable at ${dockerHost()}`,
      'run `firedrill doctor` (as root on Debian/Ubuntu it installs and starts dockerd), or start Docker and set DOCKER_HOST',
    );
  }
}

/** Races a promise against a timer; the timer never keeps the process alive. */
export function withTimeout<T>(p: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
