/**
 * Builds the etcd images locally, FROM scratch, from Debian's packages: no registry is needed.
 * `apt-get download` fetches etcd-server, etcd-client, libc6 and busybox-static of the pinned suite
 * (through an explicit source list, so a bookworm host can take trixie's 3.5), `dpkg -x` unpacks them
 * into a root file system, and the engine builds a two-line Dockerfile over it.
 *
 * Run directly (`npm run images [3.4 3.5]`) or through ensureEtcdImage(), which skips the build when
 * the tag exists.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync, chmodSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { docker } from '../src/cluster/docker-client.js';
import { LABEL_IMAGE } from '../src/cluster/labels.js';
import { EnvironmentError } from '../src/run/errors.js';
import { ETCD_VERSIONS, RECIPE_REVISION, imageTag, type EtcdVersion } from './etcd-versions.js';

const PACKAGES = ['etcd-server', 'etcd-client', 'libc6', 'busybox-static'];
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Returns the tag, building the image first when it is not there. */
export async function ensureEtcdImage(v: EtcdVersion, log: (s: string) => void = () => {}): Promise<string> {
  const tag = imageTag(v);
  if (await imageExists(tag)) return tag;
  const t0 = Date.now();
  log(`building ${tag} from Debian ${ETCD_VERSIONS[v].suite} packages ...`);
  await buildEtcdImage(v);
  log(`built ${tag} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return tag;
}

export async function imageExists(tag: string): Promise<boolean> {
  try {
    await docker().getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * The Debian mirror this machine's apt already uses, so we reach the archive exactly as the host
 * is set up to (FIREDRILL_APT_MIRROR overrides it).
 */
export function hostDebianMirror(): string {
  if (process.env.FIREDRILL_APT_MIRROR) return process.env.FIREDRILL_APT_MIRROR;
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) files.push(...readdirSync(dir).map((f) => join(dir, f)));
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    // deb822 (URIs: ...) and one-line (deb [opts] URI suite ...) formats; skip the security archive.
    const uris = [...text.matchAll(/^URIs:\s*(\S+)/gm), ...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1]!);
    const main = uris.find((u) => /\/debian\/?$/.test(u) && !u.includes('security'));
    if (main) return main.replace(/\/$/, '');
  }
  throw new EnvironmentError(
    'no Debian mirror found in /etc/apt/sources.list{,.d}',
    'set FIREDRILL_APT_MIRROR to a Debian archive URL, or build on a Debian host',
  );
}

async function aptDownload(v: EtcdVersion, into: string): Promise<void> {
  const { suite, etcd } = ETCD_VERSIONS[v];
  // A private apt state per suite, cached between builds: the host's own apt config is left alone.
  const state = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'etcd-firedrill', 'apt', suite);
  mkdirSync(join(state, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(state, 'archives', 'partial'), { recursive: true });
  const list = join(state, 'sources.list');
  writeFileSync(list, `deb [signed-by=${KEYRING}] ${hostDebianMirror()} ${suite} main\n`);
  const opts = [
    `-o=Dir::Etc::SourceList=${list}`,
    '-o=Dir::Etc::SourceParts=/dev/null',
    `-o=Dir::State::Lists=${join(state, 'lists')}`,
    `-o=Dir::Cache=${state}`,
    '-o=Debug::NoLocking=1',
    '-o=APT::Sandbox::User=root',
  ];
  const update = await $({ nothrow: true, quiet: true })`apt-get ${opts} update -qq`;
  if (update.exitCode !== 0) throw aptError(v, 'apt-get update failed', update.stderr);
  const show = await $({ nothrow: true, quiet: true })`apt-cache ${opts} show --no-all-versions etcd-server`;
  const candidate = /^Version:\s*(\S+)/m.exec(show.stdout)?.[1];
  if (!candidate) throw aptError(v, `apt-get update found no etcd-server in ${suite}`, update.stderr);
  if (!candidate.startsWith(`${etcd}-`)) {
    throw new EnvironmentError(
      `Debian ${suite} offers etcd-server ${candidate ?? 'nothing'}, not the pinned ${etcd}`,
      'update ETCD_VERSIONS in docker/etcd-versions.ts to what the suite has, or pass --image',
    );
  }
  const dl = await $({ nothrow: true, quiet: true, cwd: into })`apt-get ${opts} download -qq ${PACKAGES}`;
  if (dl.exitCode !== 0) throw aptError(v, 'apt-get download failed', dl.stderr);
}

function aptError(v: EtcdVersion, what: string, stderr: string): EnvironmentError {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const line = lines.find((l) => l.startsWith('E:')) ?? lines.find((l) => l.startsWith('W:')) ?? lines.pop() ?? 'no output';
  return new EnvironmentError(
    `cannot build the etcd ${v} image: ${what} (${line.slice(0, 200)})`,
    'check that the Debian package archive is reachable (apt-get update), or pass --image with a local image',
  );
}

/** Makes `rootfs` bootable FROM scratch: merged-/usr links, busybox applets, the dirs etcd needs. */
function finishRootfs(rootfs: string): void {
  // trixie ships libc and binaries under /usr only; the dynamic loader path is /lib64/ld-linux...
  for (const d of ['lib', 'lib64', 'bin', 'sbin']) {
    if (!existsSync(join(rootfs, d)) && existsSync(join(rootfs, 'usr', d))) symlinkSync(`usr/${d}`, join(rootfs, d));
  }
  const busyboxDir = existsSync(join(rootfs, 'bin', 'busybox')) ? join(rootfs, 'bin') : join(rootfs, 'usr', 'bin');
  const busybox = join(busyboxDir, 'busybox');
  if (!existsSync(busybox)) throw new Error(`busybox missing in ${rootfs}`);
  linkApplets(busybox, busyboxDir, rootfs);
}

function linkApplets(busybox: string, dir: string, rootfs: string): void {
  // busybox-static is a static x86-64 binary, so the host can list its applets.
  const out = execFileSync(busybox, ['--list'], { encoding: 'utf8' });
  for (const applet of out.split('\n').filter(Boolean)) {
    const at = join(dir, applet);
    if (!existsSync(at) && !isLink(at)) symlinkSync('busybox', at);
  }
  rmSync(join(rootfs, 'usr', 'share'), { recursive: true, force: true });
  for (const d of ['var/lib/etcd', 'backup', 'etc']) mkdirSync(join(rootfs, d), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\n');
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

export async function buildEtcdImage(v: EtcdVersion): Promise<void> {
  const work = join(tmpdir(), `firedrill-image-${v}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const debs = join(work, 'debs');
  const rootfs = join(work, 'rootfs');
  mkdirSync(debs, { recursive: true });
  mkdirSync(rootfs, { recursive: true });
  try {
    await aptDownload(v, debs);
    for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
      await $({ quiet: true })`dpkg -x ${join(debs, deb)} ${rootfs}`;
    }
    finishRootfs(rootfs);
    const tag = imageTag(v);
    writeFileSync(
      join(work, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin ETCDCTL_API=3',
        // Not the tool label: containers inherit image labels, and the reaper must never match a
        // container someone started by hand from this image.
        `LABEL ${LABEL_IMAGE}=etcd io.etcd-firedrill.etcd-version=${ETCD_VERSIONS[v].etcd} io.etcd-firedrill.recipe=${RECIPE_REVISION}`,
        'WORKDIR /var/lib/etcd',
        'CMD ["etcd"]',
        '',
      ].join('\n'),
    );
    await engineBuild(work, tag);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Streams the build context as a tar to the engine and fails with the engine's own error text. */
async function engineBuild(context: string, tag: string): Promise<void> {
  const tar = spawn('tar', ['-C', context, '-c', 'Dockerfile', 'rootfs'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stream = await docker().buildImage(tar.stdout, { t: tag, rm: true, forcerm: true });
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error;
      if (failed) reject(new EnvironmentError(`docker build of ${tag} failed: ${failed}`, 'see the build output above'));
      else resolve();
    });
  });
}

// `npm run images [3.4 3.5]`: build (or confirm) the named images and print the time taken.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(ETCD_VERSIONS);
  for (const v of wanted as EtcdVersion[]) {
    const t0 = Date.now();
    const tag = await ensureEtcdImage(v, (s) => console.log(s));
    console.log(`${tag} ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
