import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import type { Member } from '../../src/cluster/member.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { Faults, type FaultContext } from '../../src/faults/index.js';
import { readProxyConfig } from '../../src/faults/peer-proxy.js';
import { ensurePeerProxyBinary } from '../../src/setup/peer-proxy-binary.js';
import { Targets } from '../../src/targets/targets.js';
import { reconfigure } from './reconfigure.js';
import { sharedCluster } from './shared-cluster.js';

// The proxy binary itself, on loopback only (127.0.0.1 on this host: the network rule allows
// nothing else), then inside a real cluster. Delays are checked as lower bounds only: the proxy
// never delivers a byte before it is due, whereas upper bounds depend on the machine's load.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('firedrill-peer-proxy on loopback', () => {
  let dir: string;
  let echo: Server;
  let proxy: ChildProcess;
  let port: number;
  const conf = (): string => join(dir, 'proxy.conf');
  // Waits until the proxy has the config in force: it writes the text it applied to `.applied`.
  const setConf = async (text: string): Promise<void> => {
    writeFileSync(conf(), text);
    for (const until = performance.now() + 5000; ;) {
      if (existsSync(`${conf()}.applied`) && readFileSync(`${conf()}.applied`, 'utf8') === text) return;
      if (performance.now() > until) throw new Error('the proxy did not apply its config within 5 s');
      await sleep(20);
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firedrill-proxy-'));
    echo = createServer((s) => {
      s.pipe(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const upstream = (echo.address() as AddressInfo).port;
    // A free port for the proxy: bind one, release it, hand it over.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    proxy = spawn(ensurePeerProxyBinary(), [`127.0.0.1:${port}`, `127.0.0.1:${upstream}`, conf()], { stdio: 'ignore' });
    await setConf(''); // acknowledged once it listens and has read its (absent) config
  });
  afterAll(async () => {
    proxy?.kill('SIGKILL');
    await new Promise<void>((r) => echo?.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (): Promise<Socket> => {
    const s = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return s;
  };
  /** Sends `msg` and waits for it to come back whole; resolves with the round-trip time, or -1 on timeout. */
  const roundTrip = async (s: Socket, msg: string, timeoutMs = 2000): Promise<number> => {
    const t0 = performance.now();
    let got = '';
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        s.off('data', onData);
        resolve(-1);
      }, timeoutMs);
      const onData = (b: Buffer): void => {
        got += b.toString();
        if (got.length >= msg.length) {
          clearTimeout(timer);
          s.off('data', onData);
          resolve(performance.now() - t0);
        }
      };
      s.on('data', onData);
      s.write(msg);
    });
  };

  it('forwards both ways with no config', async () => {
    const s = await open();
    expect(await roundTrip(s, 'hello')).toBeGreaterThanOrEqual(0);
    s.destroy();
  });

  it('adds the delay each way (a round trip takes at least 2 × delay), also on a connection already open', async () => {
    const s = await open();
    const before = await roundTrip(s, 'a');
    await setConf('* 150 0 0 0\n');
    const rtt = await roundTrip(s, 'b');
    console.log(`loopback round trip: ${before.toFixed(1)} ms without delay, ${rtt.toFixed(1)} ms with 150 ms each way`);
    expect(rtt).toBeGreaterThanOrEqual(300);
    await setConf('');
    expect(await roundTrip(s, 'c')).toBeGreaterThanOrEqual(0);
    s.destroy();
  });

  it('keeps byte order under jitter', async () => {
    await setConf('* 20 20 0 0\n');
    const s = await open();
    const msgs = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(4, '0')};`);
    let got = '';
    s.on('data', (b: Buffer) => (got += b.toString()));
    for (const m of msgs) {
      s.write(m);
      await sleep(1);
    }
    const t0 = performance.now();
    while (got.length < msgs.join('').length && performance.now() - t0 < 5000) await sleep(20);
    expect(got).toBe(msgs.join(''));
    s.destroy();
    await setConf('');
  });

  it('blackhole: the connection stays open and carries nothing; lifted, it carries again', async () => {
    const s = await open();
    await setConf('127.0.0.1 0 0 0 1\n');
    expect(await roundTrip(s, 'lost', 500)).toBe(-1);
    expect(s.destroyed).toBe(false);
    await setConf('');
    expect(await roundTrip(s, 'back')).toBeGreaterThanOrEqual(0);
    s.destroy();
  });

  it('refuse 1: a new connection is closed at once; an exact IP rule wins over *', async () => {
    await setConf('127.0.0.1 0 0 1 0\n* 0 0 0 0\n');
    const s = connect(port, '127.0.0.1');
    const closed = await new Promise<boolean>((resolve) => {
      s.on('close', () => resolve(true));
      s.on('error', () => {});
      setTimeout(() => resolve(false), 2000);
    });
    expect(closed).toBe(true);
    await setConf('');
  });

  it('passes a half-close on: the far side sees end, and its answer still comes back', async () => {
    const s = await open();
    let got = '';
    const ended = new Promise<void>((r) => s.on('end', r));
    s.on('data', (b: Buffer) => (got += b.toString()));
    s.end('bye');
    await ended; // the echo server ends after piping back: it saw our FIN through the proxy
    expect(got).toBe('bye');
  });
});

describe('peerProxy cluster (etcd 3.5, 3 members)', () => {
  let cluster!: StartedCluster;
  let ctx!: FaultContext;
  sharedCluster({ members: 3, version: '3.5', peerProxy: true }, (c) => {
    cluster = c;
    ctx = { cluster, refs: new Map(), random: () => 0.5, leader: async () => (await cluster.leader(1000))?.leader };
  });

  const proxyRunning = async (m: Member): Promise<boolean> =>
    ((await docker().getContainer(m.containerName).top()).Processes ?? []).some((p: string[]) =>
      p.join(' ').includes('firedrill-peer-proxy'),
    );

  /** Median of `n` sequential puts through a client pinned to `m`. */
  const medianPut = async (m: Member, n = 7): Promise<number> => {
    const c = m.client({ callTimeoutMs: 10_000 });
    const ts: number[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await c.put(`/proxy/${i}`).value('v');
        ts.push(performance.now() - t0);
      }
    } finally {
      c.close();
    }
    return ts.sort((a, b) => a - b)[Math.floor(n / 2)]!;
  };

  it('members advertise the proxy port, and each runs its proxy', async () => {
    const list = await cluster.member(1).etcdctl(['member', 'list']);
    expect(list.stdout.match(/:2381/g)).toHaveLength(3);
    for (const m of cluster.members) expect(await proxyRunning(m)).toBe(true);
  });

  it('delay on the leader: every write waits for a round trip over slowed links; heal lifts it', async () => {
    const leader = (await cluster.leader())!.leader;
    const base = await medianPut(leader);
    const inj = await Faults.delay(Targets.named(leader.name), 150).inject(ctx);
    expect(await readProxyConfig(leader)).toBe('* 150 0 0 0\n');
    await sleep(300);
    const slow = await medianPut(leader);
    await inj.heal();
    await inj.heal();
    for (const m of cluster.members) expect(await readProxyConfig(m)).toBe('');
    await sleep(300);
    const after = await medianPut(leader);
    console.log(
      `puts through the leader, median: ${base.toFixed(1)} ms; leader delayed 150 ms: ${slow.toFixed(1)} ms; healed: ${after.toFixed(1)} ms`,
    );
    // The leader's append reaches a follower 150 ms late and its ack comes back 150 ms late.
    expect(slow).toBeGreaterThanOrEqual(300);
  });

  it('blackhole on a follower: it loses its leader and cannot serve linearizable reads; heal restores it', async () => {
    const leader = (await cluster.leader())!.leader;
    const f = cluster.members.find((m) => m !== leader)!;
    const inj = await Faults.blackhole(Targets.named(f.name)).inject(ctx);
    const t0 = performance.now();
    while ((await f.status()).leaderId && performance.now() - t0 < 20_000) await sleep(100);
    expect((await f.status()).leaderId).toBeUndefined();
    expect((await f.etcdctl(['get', '/proxy/0', '--command-timeout=2s'])).ok).toBe(false);
    await inj.heal();
    await cluster.waitReady({ timeoutMs: 30_000 });
    expect((await f.etcdctl(['get', '/proxy/0', '--print-value-only'])).stdout.trim()).toBe('v');
  });

  it('a restarted member gets its proxy back, with the rules in force', async () => {
    const leader = (await cluster.leader())!.leader;
    const f = cluster.members.find((m) => m !== leader)!;
    const inj = await Faults.delay(Targets.named(f.name), 20).inject(ctx);
    await f.kill();
    await f.start();
    expect(await proxyRunning(f)).toBe(true);
    expect(await readProxyConfig(f)).toBe('* 20 0 0 0\n');
    await inj.heal();
    await cluster.waitReady({ timeoutMs: 30_000 });
  });

  it('a member added later advertises and runs its own proxy, and a delay rule on it is applied and lifted', async () => {
    const n = await cluster.addMember();
    expect(n.peerUrl).toBe(`http://${n.ip}:2381`);
    expect(String(n.currentFlags['initial-advertise-peer-urls'])).toBe(n.peerUrl);
    expect(String(n.currentFlags['initial-cluster']).match(/:2381/g)).toHaveLength(4);
    expect(await reconfigure(cluster.member(1), ['member', 'add', n.name, `--peer-urls=${n.peerUrl}`])).toMatch(/added/);
    await n.start();
    await cluster.waitReady({ timeoutMs: 30_000 });
    expect(await proxyRunning(n)).toBe(true);
    const inj = await Faults.delay(Targets.named(n.name), 20).inject(ctx);
    expect(await readProxyConfig(n)).toBe('* 20 0 0 0\n');
    await inj.heal();
    expect(await readProxyConfig(n)).toBe('');
  });

  it('delay is unavailable without peerProxy, in one line', () => {
    const spec = { ...cluster.spec, peerProxy: false };
    expect(Faults.delay(Targets.leader(), 10).available(spec)).toMatch(/needs a cluster started with peerProxy: true/);
  });
});
