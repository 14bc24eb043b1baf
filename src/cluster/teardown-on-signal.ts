/**
 * SIGINT and SIGTERM tear every live run down before the process exits, so Ctrl-C leaves nothing
 * running. (A SIGKILL cannot be caught: `firedrill reap` clears what such a run leaves.)
 */
type Disposer = () => Promise<void>;

/** Lower stages run first: reports (stage 0) are written while the containers still exist (stage 1). */
export type TeardownStage = 0 | 1;

const live = new Map<Disposer, TeardownStage>();
let installed = false;

/** Registers a teardown; returns the function that unregisters it. */
export function teardownOnSignal(dispose: Disposer, stage: TeardownStage = 1): () => void {
  live.set(dispose, stage);
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void onSignal(sig));
  }
  return () => live.delete(dispose);
}

async function onSignal(sig: 'SIGINT' | 'SIGTERM'): Promise<void> {
  const code = sig === 'SIGINT' ? 130 : 143;
  if (live.size) process.stderr.write(`\nfiredrill: ${sig}, tearing down ${live.size} item(s) ...\n`);
  const timer = setTimeout(() => process.exit(code), 30_000);
  for (const stage of [0, 1] as const) {
    const now = [...live].filter(([, s]) => s === stage).map(([d]) => d());
    await Promise.allSettled(now);
  }
  clearTimeout(timer);
  process.exit(code);
}
