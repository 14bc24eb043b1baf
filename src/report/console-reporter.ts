import type { RunEvent } from './events.js';
import type { Reporter } from './reporter.js';
import { colorWanted, fit, termStyle, type TermStyle } from './term-style.js';

export interface ConsoleOptions {
  write?: (text: string) => void;
  /** Live task list (a spinner on the running step, rewritten in place). Default: stdout is a TTY. */
  live?: boolean;
  /** Default: a TTY and NO_COLOR unset. */
  color?: boolean;
  /** Terminal width lines are cut to; 0 = no limit. Default: stdout's columns on a TTY, else 0. */
  columns?: number;
}

const PLAIN = { pass: 'ok  ', fail: 'FAIL', unknown: '??  ' } as const;
const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress of a run: one line per step with its duration, one per check. On a terminal the running
 * step is a spinner line rewritten in place and every line is cut to the terminal's width; in CI
 * logs and pipes, plain lines without colour.
 */
export function consoleReporter(opts: ConsoleOptions | ((line: string) => void) = {}): Reporter {
  const o: ConsoleOptions = typeof opts === 'function' ? { write: (t) => opts(t.replace(/\n$/, '')), live: false, color: false } : opts;
  const tty = Boolean(process.stdout.isTTY);
  const live = o.live ?? tty;
  const st: TermStyle = termStyle(o.color ?? colorWanted());
  const width = (): number => o.columns ?? (tty ? (process.stdout.columns ?? 100) : 0);
  const out = o.write ?? ((t: string) => void process.stdout.write(t));
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`.padStart(6);
  const icon = { pass: st.green('ok  '), fail: st.red('FAIL'), unknown: st.yellow('??  ') } as const;

  let seenLeader = false;
  let running: { text: string; since: number } | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const clearLive = (): void => {
    if (live && running) out('\r\x1b[2K');
  };
  const drawLive = (): void => {
    if (!live || !running) return;
    const elapsed = `${((performance.now() - running.since) / 1000).toFixed(1)}s`;
    const w = width();
    const head = `  ${SPIN[frame++ % SPIN.length]} ${elapsed.padStart(5)} `;
    out(`\r\x1b[2K${st.yellow(head)}${fit(running.text, w ? w - head.length - 1 : 0)}`);
  };
  /** A finished line: `plain` is cut to the width first, then `style` colours parts of it. */
  const line = (plain: string, style: (cut: string) => string = (s) => s): void => {
    clearLive();
    out(`${style(fit(plain, width() ? width() - 1 : 0))}\n`);
    drawLive();
  };
  const stop = (): void => {
    clearLive();
    running = undefined;
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run-start':
          line(
            `\n▶ ${e.scenario} [${e.variant}] ${e.members} members, etcd ${e.version}${e.tls ? ', TLS' : ''}, seed ${e.seed}, run ${e.runId}`,
            st.bold,
          );
          if (live) {
            running = { text: 'starting the cluster', since: performance.now() };
            timer = setInterval(drawLive, 100);
            timer.unref();
            drawLive();
          }
          break;
        case 'cluster-ready':
          line(`  cluster ready in ${secs(e.elapsedMs).trim()}, leader ${e.leader ?? '?'}`);
          break;
        case 'step-start':
          if (live) {
            clearLive();
            running = { text: `${e.phase.padEnd(7)} ${e.name}`, since: performance.now() };
            drawLive();
          }
          break;
        case 'step-end': {
          const text = `  ${secs(e.durationMs)}  ${e.phase.padEnd(7)} ${e.name}${e.error ? `  ✗ ${e.error}` : ''}${e.notes.length ? `  (${e.notes.join('; ')})` : ''}`;
          clearLive();
          running = undefined;
          line(text, (cut) => (e.error ? st.red(cut) : st.dim(cut.slice(0, 8)) + cut.slice(8)));
          break;
        }
        case 'phase':
          if (live && e.phase === 'checks') {
            clearLive();
            running = { text: 'checks', since: performance.now() };
            drawLive();
          }
          break;
        case 'check': {
          const text = `  ${PLAIN[e.verdict.status]}    ${e.assumption ? 'assume ' : 'check  '} ${e.name}: ${e.verdict.message}`;
          line(text, (cut) => `  ${icon[e.verdict.status]}${cut.slice(6)}`);
          break;
        }
        case 'leader-changed':
          // The first one is the cluster's first leader (on the cluster-ready line); `from` is absent
          // there and after "no leader" alike.
          if (seenLeader) line(`          leader ${e.from ?? 'none'} → ${e.to ?? 'none'}${e.term ? ` (term ${e.term})` : ''}`, st.dim);
          seenLeader = true;
          break;
        case 'run-end':
          stop();
          break;
      }
    },
    onRunEnd() {
      stop();
    },
  };
}
