import type { RunEvent } from './events.js';
import type { Reporter } from './reporter.js';

const ICON = { pass: 'ok  ', fail: 'FAIL', unknown: '??  ' } as const;

/** One line per step with its duration, one per check; plain text, fit for CI logs and terminals. */
export function consoleReporter(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Reporter {
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`.padStart(6);
  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run-start':
          write(
            `\n▶ ${e.scenario} [${e.variant}] ${e.members} members, etcd ${e.version}${e.tls ? ', TLS' : ''}, seed ${e.seed}, run ${e.runId}`,
          );
          break;
        case 'cluster-ready':
          write(`  cluster ready in ${secs(e.elapsedMs).trim()}, leader ${e.leader ?? '?'}`);
          break;
        case 'step-end':
          write(
            `  ${secs(e.durationMs)}  ${e.phase.padEnd(7)} ${e.name}${e.error ? `  ✗ ${e.error}` : ''}${e.notes.length ? `  (${e.notes.join('; ')})` : ''}`,
          );
          break;
        case 'check':
          write(`  ${ICON[e.verdict.status]}    ${e.assumption ? 'assume ' : 'check  '} ${e.name}: ${e.verdict.message}`);
          break;
        case 'leader-changed':
          if (e.from !== undefined) write(`          leader ${e.from ?? 'none'} → ${e.to ?? 'none'} (term ${e.term})`);
          break;
      }
    },
  };
}
