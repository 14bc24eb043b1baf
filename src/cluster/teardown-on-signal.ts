/**
 * SIGINT and SIGTERM tear every live run down before the process exits, so Ctrl-C leaves nothing
 * running. (A SIGKILL cannot be caught: `firedrill reap` clears what such a run leaves.)
 */
type Disposer = () => Promise<void>;

const live = new Set<Disposer>();
let installed = false;

/** Registers a teardown; returns the function that unregisters it. */
export function teardownOnSignal(dispose: Disposer): () => void {
  live.add(dispose);
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void onSignal(sig));
  }
  return () => live.delete(dispose);
}

async function onSignal(sig: 'SIGINT' | 'SIGTERM'): Promise<void> {
  if (live.size) process.stderr.write(`\nfiredrill: ${sig}, removing ${live.size} run(s) ...\n`);
  const all = [...live].map((d) => d());
  const timer = setTimeout(() => process.exit(sig === 'SIGINT' ? 130 : 143), 30_000);
  await Promise.allSettled(all);
  clearTimeout(timer);
  process.exit(sig === 'SIGINT' ? 130 : 143);
}
