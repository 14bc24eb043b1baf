import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'undici';

/** The flags the issue names for Debian's chromium in a container, plus DevTools on loopback only. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0',
];

export interface PageVisit {
  /** console.error / console.warn calls, uncaught exceptions, and browser log errors (a resource that failed to load). */
  problems: string[];
  /** Values of the expressions asked for, evaluated after the load event. */
  values: Record<string, unknown>;
  screenshot?: string;
}

/**
 * Opens a file in headless Chromium through the DevTools protocol (undici's WebSocket; Node 20
 * has no global one): collects every console error, exception and failed load, evaluates
 * expressions in the page, and saves a full-page screenshot.
 */
export async function visitPage(
  chromium: string,
  file: string,
  opts: { evaluate?: Record<string, string>; screenshot?: string; width?: number; timeoutMs?: number } = {},
): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), 'firedrill-chromium-'));
  // Its own process group: Chromium's helpers (zygote, renderers, crashpad) go with it at the end.
  const proc = spawn(chromium, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const killAll = (): void => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const deadline = setTimeout(killAll, opts.timeoutMs ?? 60_000);
  try {
    const ws = new WebSocket(await devtoolsUrl(proc));
    await new Promise<void>((res, rej) => {
      ws.addEventListener('open', () => res(), { once: true });
      ws.addEventListener('error', () => rej(new Error('could not connect to Chromium DevTools')), { once: true });
    });
    let nextId = 1;
    const pending = new Map<number, { res: (v: Record<string, unknown>) => void; rej: (e: Error) => void }>();
    const listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
    let loaded: () => void = () => {};
    let loadFailed: (e: Error) => void = () => {};
    const load = new Promise<void>((res, rej) => ((loaded = res), (loadFailed = rej)));
    // Chromium gone (crashed, or killed at the deadline): every wait ends with an error, so the
    // finally below runs (profile removed) instead of the visit hanging until vitest gives up.
    ws.addEventListener('close', () => {
      const e = new Error('Chromium closed the DevTools connection');
      for (const p of pending.values()) p.rej(e);
      pending.clear();
      loadFailed(e);
    });
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.rej(new Error(msg.error.message));
        else p?.res(msg.result ?? {});
      } else if (msg.method) for (const l of listeners) l(msg.method, msg.params ?? {});
    });
    const send = (method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> =>
      new Promise((res, rej) => {
        const id = nextId++;
        pending.set(id, { res, rej });
        ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });

    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const problems: string[] = [];
    listeners.push((method, p) => {
      if (method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(String(p.type))) {
        const args = (p.args as Array<{ value?: unknown; description?: string }>) ?? [];
        problems.push(`console.${String(p.type)}: ${args.map((a) => String(a.value ?? a.description ?? '')).join(' ')}`);
      }
      if (method === 'Runtime.exceptionThrown') {
        const d = p.exceptionDetails as { text?: string; exception?: { description?: string } };
        problems.push(`exception: ${d.exception?.description ?? d.text ?? '?'}`);
      }
      if (method === 'Log.entryAdded') {
        const e = p.entry as { level: string; text: string; url?: string };
        if (e.level === 'error' || e.level === 'warning') problems.push(`log ${e.level}: ${e.text}${e.url ? ` (${e.url})` : ''}`);
      }
      if (method === 'Page.loadEventFired') loaded();
    });
    for (const domain of ['Runtime.enable', 'Log.enable', 'Page.enable']) await send(domain, {}, sessionId);
    const width = opts.width ?? 1280;
    await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await load;
    const values: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(opts.evaluate ?? {})) {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as {
        result: { value?: unknown };
        exceptionDetails?: { text: string };
      };
      if (r.exceptionDetails) throw new Error(`evaluating ${name}: ${r.exceptionDetails.text}`);
      values[name] = r.result.value;
    }
    if (opts.screenshot) {
      const { cssContentSize } = (await send('Page.getLayoutMetrics', {}, sessionId)) as { cssContentSize: { height: number } };
      const height = Math.ceil(cssContentSize.height);
      const shot = (await send(
        'Page.captureScreenshot',
        { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } },
        sessionId,
      )) as { data: string };
      writeFileSync(opts.screenshot, Buffer.from(shot.data, 'base64'));
    }
    // Give late console messages (after load) a moment to arrive.
    await new Promise((r) => setTimeout(r, 300));
    await send('Browser.close').catch(() => ({}));
    ws.close();
    return { problems, values, screenshot: opts.screenshot };
  } finally {
    clearTimeout(deadline);
    const exited = new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
    killAll();
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

/** Chromium prints `DevTools listening on ws://127.0.0.1:<port>/devtools/browser/<id>` on stderr. */
function devtoolsUrl(proc: ChildProcess): Promise<string> {
  return new Promise((res, rej) => {
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    proc.once('exit', (code) => rej(new Error(`chromium exited (${code}) before DevTools answered: ${err.trim().split('\n').pop()}`)));
  });
}
