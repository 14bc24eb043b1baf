import { ensureEtcdImage } from '../../docker/build-image.js';
import { ensureDockerEngine } from '../../src/setup/docker-engine.js';

// Once per test run, before any test file: the engine answers and both images exist, so test
// files never race each other to build the same image.
export default async function setup(): Promise<void> {
  await ensureDockerEngine();
  await Promise.all([ensureEtcdImage('3.4'), ensureEtcdImage('3.5')]);
}
