import type { Etcd3 } from 'etcd3';
import type { History } from './history.js';

/**
 * Background writers, one per client (the harness pins one client to each member, as Jepsen
 * does, so the survivors keep writing through a fault while the dead member's writer records its
 * failures). Each writer puts unique keys (`<prefix><writer>/<n>`) one after another, recording
 * every outcome, until stopped. Unique keys make "every acknowledged write is present with its
 * value" a plain lookup.
 */
export class Workload {
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly clients: readonly Etcd3[],
    private readonly history: History,
    readonly prefix = '/firedrill/workload/',
    private readonly pauseMs = 20,
  ) {}

  start(): this {
    this.loops = this.clients.map((c, w) => this.loop(c, w));
    return this;
  }

  private async loop(client: Etcd3, w: number): Promise<void> {
    for (let n = 0; !this.stopped; n++) {
      const key = `${this.prefix}${w}/${String(n).padStart(6, '0')}`;
      const value = `w${w}-${n}`;
      const op = await this.history.record(key, value, async () => await client.put(key).value(value));
      // A failing member answers fast (refused) or slowly (timeouts): back off a little on errors.
      await new Promise((r) => setTimeout(r, op.outcome === 'ok' ? this.pauseMs : 200));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    for (const c of this.clients) c.close();
  }
}
