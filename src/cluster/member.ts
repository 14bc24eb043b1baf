import type Docker from 'dockerode';
import type { Etcd3 } from 'etcd3';
import { extract, pack } from 'tar-stream';
import type { EtcdFlags, ResolvedClusterSpec } from './cluster-spec.js';
import { renderCommand, type CommandResult } from './command-result.js';
import { docker, withTimeout } from './docker-client.js';
import { demuxDockerStream } from './docker-stream.js';
import { etcdClient, type ClientOptions } from './etcd-client.js';
import {
  BACKUP_MOUNT,
  DATA_DIR,
  PEER_PROXY_PORT,
  PKI_MOUNT,
  VOLUME_MOUNT,
  clientUrl,
  etcdctlTlsFlags,
  mergeFlags,
  peerUrl,
  renderFlags,
} from './etcd-flags.js';
import type { ClientTls, Credentials } from './http.js';
import { runLabels } from './labels.js';
import { parseLog, type LogLine } from './log-line.js';
import { fetchHealth, fetchMemberStatus, type MemberStatus } from './member-status.js';
import type { ClusterNetwork } from './network.js';

/** `restarting`: etcd exited and its supervisor (restart policy) is about to start it again. */
export type MemberState = 'running' | 'paused' | 'restarting' | 'exited' | 'created' | 'absent';

/**
 * Docker's restart policy, standing for the supervisor that restarts etcd on its host (systemd's
 * `Restart=`, seed 000's platform health check, seed 004's `supervise`). `on-failure` skips exit 0,
 * which is how a removed member exits (ground-truth.md point 9); `always` restarts even that.
 */
export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

/** What a member shares with its cluster. */
export interface MemberContext {
  runId: string;
  spec: ResolvedClusterSpec;
  network: ClusterNetwork;
  backupVolume: string;
  /** TLS clusters: the volume holding the certificates, and the client certificate for host clients. */
  pkiVolume?: string;
  clientTls?: ClientTls;
  /** Set once auth is enabled: etcdctl v3 calls pass --user, host clients authenticate. */
  auth?: Credentials;
}

export interface ExecOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** How the command is shown in step logs when it differs from argv (e.g. masked secrets). */
  display?: string;
}

export interface EtcdctlOptions extends ExecOptions {
  /** 3 (default) or 2, as ETCDCTL_API. */
  api?: 2 | 3;
  /** Default: this member's own client URL. */
  endpoints?: readonly string[];
}

/** A file put into a container: name relative to the target directory, content, mode. */
export interface ContainerFile {
  name: string;
  content: Buffer;
  mode: number;
}

export interface DataDirEntry {
  path: string;
  size: number;
  type: 'file' | 'directory' | 'symlink' | 'other';
}

/**
 * One etcd member: a container with a fixed IP on the run's network and a named volume for its
 * data. The container is disposable, the member is not: restarting with other flags, or wiping
 * the data, recreates the container under the same name, IP and volume, keeping its earlier logs.
 */
export class Member {
  readonly name: string;
  readonly ip: string;
  readonly containerName: string;
  readonly volumeName: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  /** Hex member ID, learned from the member itself; changes when it is removed and re-added. */
  id?: string;
  /**
   * The machine it runs on: names its container, its volume and its log in the report. The etcd
   * `--name` unless the member moved (member-migrate: `etcd-2` runs on host `etcd-2-moved`).
   */
  readonly host: string;
  private flags: EtcdFlags;
  private restartPolicy: RestartPolicy = 'no';
  /**
   * A command etcd is started under, with files copied into the container when it is created (the
   * clock-skew launcher: `/clockskew launch --offset-file ... -- etcd ...`). Takes effect when the
   * container is next created.
   */
  launcher?: { argv: readonly string[]; files: readonly ContainerFile[] };
  /** Run after every start: faults that a restart would undo re-apply themselves here. */
  readonly afterStart = new Set<(m: Member) => Promise<void>>();
  private earlierLogs = '';
  private cachedClient?: Etcd3;

  constructor(
    private readonly ctx: MemberContext,
    readonly index: number,
    name: string,
    ip: string,
    flags: EtcdFlags,
    host = name,
  ) {
    this.name = name;
    this.ip = ip;
    this.host = host;
    this.containerName = `firedrill-${ctx.runId}-${host}`;
    this.volumeName = `firedrill-${ctx.runId}-${host}-data`;
    const tls = Boolean(ctx.spec.tls);
    this.clientUrl = clientUrl({ name, ip, tls });
    this.peerUrl = peerUrl({ name, ip, tls, peerPort: ctx.spec.peerProxy ? PEER_PROXY_PORT : undefined });
    this.flags = flags;
  }

  /** The flags the member (re)starts with. */
  get currentFlags(): Readonly<EtcdFlags> {
    return this.flags;
  }

  private container(): Docker.Container {
    return docker().getContainer(this.containerName);
  }

  async state(): Promise<MemberState> {
    try {
      const s = (await this.container().inspect()).State;
      if (s.Paused) return 'paused';
      if (s.Restarting) return 'restarting'; // Docker also says Running then
      if (s.Running) return 'running';
      return s.Status === 'created' ? 'created' : 'exited';
    } catch {
      return 'absent';
    }
  }

  /** Exit code of the last run (a removed member exits 0), or undefined while running/absent. */
  async exitCode(): Promise<number | undefined> {
    try {
      const s = (await this.container().inspect()).State;
      return s.Running && !s.Restarting ? undefined : s.ExitCode;
    } catch {
      return undefined;
    }
  }

  /** Its data volume, the run's backup volume and, on a TLS cluster, the certificates (read-only). */
  private mounts(): Docker.MountSettings[] {
    const mounts: Docker.MountSettings[] = [
      { Type: 'volume', Source: this.volumeName, Target: VOLUME_MOUNT },
      { Type: 'volume', Source: this.ctx.backupVolume, Target: BACKUP_MOUNT },
    ];
    if (this.ctx.pkiVolume) mounts.push({ Type: 'volume', Source: this.ctx.pkiVolume, Target: PKI_MOUNT, ReadOnly: true });
    return mounts;
  }

  /** Creates the data volume (idempotent). */
  async createVolume(): Promise<void> {
    await docker().createVolume({ Name: this.volumeName, Labels: runLabels(this.ctx.runId, this.host) });
  }

  /** Creates the container without starting it, when it does not exist. */
  async ensureContainer(): Promise<void> {
    if ((await this.state()) !== 'absent') return;
    await docker().createContainer({
      name: this.containerName,
      Image: this.ctx.spec.image,
      Cmd: [...(this.launcher?.argv ?? []), 'etcd', ...renderFlags(this.flags)],
      Hostname: this.host,
      Labels: runLabels(this.ctx.runId, this.host),
      StopTimeout: 10,
      HostConfig: {
        NetworkMode: this.ctx.network.name,
        Mounts: this.mounts(),
        // A recreated container (other flags, wiped data) keeps its supervisor, as a unit file would.
        RestartPolicy: { Name: this.restartPolicy },
        // Nothing is published: members are reachable only on the run's own bridge.
        PublishAllPorts: false,
      },
      NetworkingConfig: {
        EndpointsConfig: { [this.ctx.network.name]: { IPAMConfig: { IPv4Address: this.ip } } },
      },
    });
    if (this.launcher?.files.length) await this.putFiles('/', this.launcher.files);
  }

  /** Writes files into the container (created, running or stopped) through Docker's archive API. */
  async putFiles(dir: string, files: readonly ContainerFile[]): Promise<void> {
    const tar = pack();
    for (const f of files) tar.entry({ name: f.name, mode: f.mode }, f.content);
    tar.finalize();
    await this.container().putArchive(tar, { path: dir });
  }

  /**
   * Starts the member. `flags` change its configuration from now on, like editing its unit file:
   * `start({ flags: { 'initial-cluster-state': 'existing' } })`; `null` removes a flag. A member
   * must be stopped before its flags change.
   */
  async start(opts: { flags?: EtcdFlags } = {}): Promise<void> {
    if (opts.flags) {
      const next = mergeFlags(this.flags, opts.flags);
      if (renderFlags(next).join(' ') !== renderFlags(this.flags).join(' ')) {
        const state = await this.state();
        if (state === 'running' || state === 'paused') {
          throw new Error(`member ${this.name} is ${state}: stop or kill it before starting it with other flags`);
        }
        await this.removeContainer();
        this.flags = next;
      }
    }
    await this.ensureContainer();
    if ((await this.state()) !== 'running') await this.container().start();
    for (const hook of this.afterStart) await hook(this);
  }

  /** The restart policy (supervisor) the member runs under; `no` unless `supervise` set one. */
  get supervisor(): RestartPolicy {
    return this.restartPolicy;
  }

  /**
   * Puts the member under a supervisor (a Docker restart policy), or takes it off with `no`. Docker
   * changes the policy of a live container in place (`docker update --restart`), so this works
   * whether the member is running, crash-looping or stopped, and later containers keep it.
   */
  async supervise(policy: RestartPolicy): Promise<void> {
    this.restartPolicy = policy;
    for (let attempt = 1; ; attempt++) {
      if ((await this.state()) === 'absent') return;
      try {
        await this.container().update({ RestartPolicy: { Name: policy } });
        return;
      } catch (e) {
        // A crash-looping container can die between Docker's check and containerd's update
        // ("cannot update a stopped container"); the next attempt sees it stopped or restarting.
        if (attempt >= 5 || !/cannot update a stopped container/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** What Docker says of the container's supervisor: its restart policy and how often it restarted. */
  async restarts(): Promise<{ policy: string; count: number; restarting: boolean }> {
    try {
      const c = await this.container().inspect();
      return { policy: c.HostConfig.RestartPolicy?.Name || 'no', count: c.RestartCount, restarting: c.State.Restarting };
    } catch {
      return { policy: 'absent', count: 0, restarting: false };
    }
  }

  /** SIGTERM, then SIGKILL after `timeoutS` (etcd transfers leadership on SIGTERM). */
  async stop(timeoutS = 10): Promise<void> {
    await ignoreNotModified(this.container().stop({ t: timeoutS }));
  }

  /** SIGKILL (or another signal): no goodbye to the peers. */
  async kill(signal = 'SIGKILL'): Promise<void> {
    await ignoreNotModified(this.container().kill({ signal }));
  }

  /**
   * Freezes every process of the member, like a stalled disk or a long GC pause: `docker pause`
   * (the cgroup freezer). Retried a few times on `unable to freeze`: the kernel gives
   * up freezing a cgroup while one of its threads sits in an uninterruptible wait (an fsync on a
   * loaded disk), and the next attempt a moment later succeeds. Seen once in CI.
   */
  async pause(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.container().pause();
        return;
      } catch (e) {
        if (attempt >= 5 || !/unable to freeze/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  async unpause(): Promise<void> {
    await this.container().unpause();
  }

  /** Removes the container, keeping its volume and its logs (for the report). */
  async removeContainer(): Promise<void> {
    if ((await this.state()) === 'absent') return;
    this.earlierLogs += await this.currentLogs();
    await this.container().remove({ force: true });
  }

  /** Empties the data dir: the container is removed and the volume recreated empty. */
  async wipeData(): Promise<void> {
    await this.removeContainer();
    await docker().getVolume(this.volumeName).remove({ force: true });
    await this.createVolume();
  }

  /** Copies this member's data dir onto another (stopped) member's volume, like `cp -a`. */
  async copyDataDirTo(target: Member): Promise<void> {
    await this.ensureContainer();
    await target.ensureContainer();
    const tar = await this.container().getArchive({ path: DATA_DIR });
    await target.container().putArchive(tar, { path: VOLUME_MOUNT });
  }

  /** Lists the data dir (works on a stopped member too: Docker reads the volume). */
  async readDataDir(): Promise<DataDirEntry[]> {
    await this.ensureContainer();
    let tar: NodeJS.ReadableStream;
    try {
      tar = await this.container().getArchive({ path: DATA_DIR });
    } catch (e) {
      if (/404|no such file/i.test(String(e))) return [];
      throw e;
    }
    const entries: DataDirEntry[] = [];
    const ex = extract();
    ex.on('entry', (h, stream, next) => {
      const type = h.type === 'file' || h.type === 'directory' || h.type === 'symlink' ? h.type : 'other';
      entries.push({ path: h.name, size: h.size ?? 0, type });
      stream.on('end', next);
      stream.resume();
    });
    await new Promise<void>((resolve, reject) => {
      ex.on('finish', resolve);
      ex.on('error', reject);
      tar.pipe(ex);
    });
    return entries;
  }

  /** Runs argv inside the running member. A non-zero exit is data, never an exception. */
  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> {
    const startedAt = new Date();
    const t0 = performance.now();
    const command = this.mask(opts.display ?? renderCommand(argv, opts.env));
    const base = { command, where: this.host, startedAt: startedAt.toISOString() };
    try {
      const exec = await this.container().exec({
        Cmd: [...argv],
        Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
      let timedOut = false;
      try {
        await withTimeout(ended, opts.timeoutMs ?? 60_000, 'exec');
      } catch {
        timedOut = true;
        stream.destroy();
      }
      const out = demuxDockerStream(Buffer.concat(chunks));
      const [stdout, stderr] = [this.mask(out.stdout), this.mask(out.stderr)];
      const exitCode = timedOut ? null : ((await exec.inspect()).ExitCode ?? null);
      return { ...base, exitCode, stdout, stderr, durationMs: performance.now() - t0, timedOut, ok: exitCode === 0 };
    } catch (e) {
      // The container is stopped, paused or gone: the command could not run at all.
      const msg = String((e as { json?: { message?: string } }).json?.message ?? e);
      return {
        ...base,
        exitCode: null,
        stdout: '',
        stderr: `docker: ${msg}`,
        durationMs: performance.now() - t0,
        timedOut: false,
        ok: false,
      };
    }
  }

  /** Replaces the run's password with **** : it never reaches a step log, a report or the console. */
  mask(text: string): string {
    const pw = this.ctx.spec.auth?.password;
    return pw ? text.split(pw).join('****') : text;
  }

  /** `sh -c script` inside the member (needs a shell: our images have busybox). */
  sh(script: string, opts: ExecOptions = {}): Promise<CommandResult> {
    return this.exec(['sh', '-c', script], { display: opts.display ?? `sh -c ${JSON.stringify(script)}`, ...opts });
  }

  /** `etcdctl --endpoints=<self> ...args` inside the member, as an operator on that host would. */
  etcdctl(args: readonly string[], opts: EtcdctlOptions = {}): Promise<CommandResult> {
    const api = opts.api ?? 3;
    const endpoints = (opts.endpoints ?? [this.clientUrl]).join(',');
    const tls = this.ctx.spec.tls ? etcdctlTlsFlags(api) : [];
    // v3 auth guards only the v3 API; the v2 API has an auth of its own, which stays off.
    const user = this.ctx.auth && api === 3 ? [`--user=${this.ctx.auth.user}:${this.ctx.auth.password}`] : [];
    return this.exec(['etcdctl', `--endpoints=${endpoints}`, ...tls, ...user, ...args], {
      ...opts,
      env: { ETCDCTL_API: String(api), ...opts.env },
    });
  }

  /** `etcdutl ...args` (3.5 images; offline tools such as snapshot restore). */
  etcdutl(args: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> {
    return this.exec(['etcdutl', ...args], opts);
  }

  /**
   * Runs argv in a throwaway container of the member's image with the member's data volume and the
   * backup volume mounted, and no network: how an operator runs `snapshot restore` on a host whose
   * etcd is stopped.
   */
  async oneShot(argv: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> {
    const startedAt = new Date();
    const t0 = performance.now();
    const command = this.mask(opts.display ?? renderCommand(argv, opts.env));
    const c = await docker().createContainer({
      Image: this.ctx.spec.image,
      Cmd: [...argv],
      Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: runLabels(this.ctx.runId, this.host),
      WorkingDir: VOLUME_MOUNT,
      HostConfig: {
        NetworkMode: 'none',
        Mounts: this.mounts(),
      },
    });
    try {
      await c.start();
      let timedOut = false;
      let exitCode: number | null = null;
      try {
        exitCode = ((await withTimeout(c.wait(), opts.timeoutMs ?? 60_000, 'one-shot')) as { StatusCode: number }).StatusCode;
      } catch {
        timedOut = true;
      }
      const out = demuxDockerStream((await c.logs({ stdout: true, stderr: true })) as unknown as Buffer);
      const [stdout, stderr] = [this.mask(out.stdout), this.mask(out.stderr)];
      return {
        command,
        where: `${this.host} (one-shot)`,
        startedAt: startedAt.toISOString(),
        exitCode,
        stdout,
        stderr,
        durationMs: performance.now() - t0,
        timedOut,
        ok: exitCode === 0,
      };
    } finally {
      await c.remove({ force: true }).catch(() => {});
    }
  }

  private async currentLogs(): Promise<string> {
    try {
      const buf = (await this.container().logs({ stdout: true, stderr: true, timestamps: true })) as unknown as Buffer;
      return demuxDockerStream(buf).all;
    } catch {
      return '';
    }
  }

  /** The member's whole log (every container it has had), with Docker's timestamps. */
  async logs(): Promise<string> {
    return this.earlierLogs + (await this.currentLogs());
  }

  async logLines(): Promise<LogLine[]> {
    return parseLog(await this.logs());
  }

  /** The member's own status; rejects when it does not answer within `timeoutMs`. */
  async status(timeoutMs = 1000): Promise<MemberStatus> {
    const s = await fetchMemberStatus(this.clientUrl, timeoutMs);
    this.id = s.memberId;
    return s;
  }

  health(timeoutMs = 1000): Promise<{ healthy: boolean; body: string }> {
    return fetchHealth(this.clientUrl, timeoutMs);
  }

  /** A host-side etcd3 client pinned to this member (no retries, deadline on every call). */
  client(opts?: ClientOptions): Etcd3 {
    if (opts) return etcdClient([this.clientUrl], { tls: this.ctx.clientTls, auth: this.ctx.auth, ...opts });
    this.cachedClient ??= etcdClient([this.clientUrl], { tls: this.ctx.clientTls, auth: this.ctx.auth });
    return this.cachedClient;
  }

  close(): void {
    this.cachedClient?.close();
    this.cachedClient = undefined;
  }

  toString(): string {
    return this.host === this.name ? `${this.name} (${this.ip})` : `${this.name} on ${this.host} (${this.ip})`;
  }
}

/** Docker answers 304 when the container is already in the asked state: that is fine. */
async function ignoreNotModified(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    const code = (e as { statusCode?: number }).statusCode;
    if (code !== 304 && code !== 409) throw e;
  }
}
