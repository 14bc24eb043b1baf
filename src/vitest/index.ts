// `etcd-firedrill/vitest`: fixtures and helpers for a user's own vitest suite. Kept apart from the
// main entry so the CLI and library never load vitest.
export { clusterTest, type ClusterFixtures } from './cluster-test.js';
export { scenarioTest, explainReport, type ScenarioTestOptions } from './scenario-test.js';
