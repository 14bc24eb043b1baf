// The library's public surface: the cluster driver first; scenarios, faults and checks join it.
export { startCluster, ensureImage, type StartOptions } from './cluster/start-cluster.js';
export { StartedCluster, type StoppedCluster, type LeaderInfo } from './cluster/started-cluster.js';
export { Member, type MemberState, type ExecOptions, type EtcdctlOptions, type DataDirEntry } from './cluster/member.js';
export { resolveClusterSpec, TIMING_PROFILES, type ClusterSpec, type EtcdFlags, type TimingProfile } from './cluster/cluster-spec.js';
export type { CommandResult } from './cluster/command-result.js';
export type { MemberStatus } from './cluster/member-status.js';
export { etcdClient } from './cluster/etcd-client.js';
export { reap, type ReapResult } from './cluster/reaper.js';
export { parseLogLine, type LogLine } from './cluster/log-line.js';
export { FiredrillError, InputError, EnvironmentError, TimeoutError } from './run/errors.js';
// The scenario engine: one entry point, the step and check vocabularies, and the types.
export { runScenario, type RunOptions } from './run/run-scenario.js';
export type { Scenario, Step, Check, Pitfall, Phase, Variant } from './run/scenario.js';
export type { RunContext } from './run/run-context.js';
export { Checks, pass, fail, unknown, worst, type Verdict, type VerdictStatus } from './checks/index.js';
export { Steps } from './runbook/steps.js';
export { Targets } from './targets/targets.js';
export { Faults, injection, type Fault, type FaultContext, type Injection } from './faults/index.js';
export type { Target } from './targets/target.js';
export type { RunEvent } from './report/events.js';
export type { RunReport } from './report/run-report.js';
export type { Reporter } from './report/reporter.js';
export { consoleReporter } from './report/console-reporter.js';
export { jsonReporter } from './report/json-reporter.js';
export { htmlReporter, writeReportHtml } from './report/html-reporter.js';
export { buildHtmlReport } from './report/html-report.js';
export { junitReporter, buildJunitXml } from './report/junit-reporter.js';
export { summaryReporter, buildSummaryMarkdown } from './report/summary-reporter.js';
export { writeIndex } from './report/index-page.js';
export { REPORTERS, DEFAULT_OUTPUTS } from './report/reporters.js';
// Runbook files (YAML or TypeScript): load, validate and compile into a Scenario for runScenario.
export { loadRunbookFile, parseRunbookYaml, compileRunbookData, defineRunbook, isRunbookPath } from './runbook-file/load.js';
export type { RunbookFile, StepSpec, CheckSpecT as RunbookCheck } from './runbook-file/schema.js';
export type { ClusterFixtures, ScenarioTestOptions } from './vitest/index.js';
