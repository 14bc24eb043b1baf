import { defineConfig } from 'vitest/config';

// Two projects: `unit` never touches Docker (pure logic, fake clusters); `docker` runs real etcd
// in real containers. Both run under `npm test`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'docker',
          // examples/user-suite: a user's own suite, importing the package by its name (package.json exports).
          include: ['test/docker/**/*.test.ts', 'examples/user-suite/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/docker/global-setup.ts'],
          // Real clusters: elections, restarts and teardown take seconds, not milliseconds.
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Two test files at a time on a 2-core machine: more makes raft timings meaningless.
          maxWorkers: 2,
          isolate: false,
          // Projects with different worker limits must run as separate groups: unit first.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
