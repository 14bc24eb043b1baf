import type { Etcd3 } from 'etcd3';
import type { History } from './history.js';

/**
 * Background writers: each puts unique keys (`<prefix><writer>/<n>`) one after another through a
 * cluster-wide client, recording every outcome in the history, until stopped. Unique keys make
 * "every acknowledged write is present with its value" a plain lookup.
 */
export class Workload {
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly client: Etcd3,
    private readonly history: History,
    readonly prefix = '/firedrill/workload/',
    private readonly writers = 2,
    private readonly pauseMs = 20,
  ) {}

  start(): this {
    this.loops = Array.from({ length: this.writers }, (_, w) => this.loop(w));
    return this;
  }

  private async loop(w: number): Promise<void> {
    for (let n = 0; !this.stopped; n++) {
      const key = `${this.prefix}${w}/${String(n).padStart(6, '0')}`;
      const value = `w${w}-${n}`;
      const op = await this.history.record(key, value, async () => await this.client.put(key).value(value));
      // A failing cluster answers fast (no leader) or slowly (timeouts): back off a little on errors.
      await new Promise((r) => setTimeout(r, op.outcome === 'ok' ? this.pauseMs : 200));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    this.client.close();
  }
}
