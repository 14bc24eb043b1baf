import { Command, Option } from 'commander';
import type { EtcdFlags } from '../../cluster/cluster-spec.js';
import { etcdctlTlsFlags } from '../../cluster/etcd-flags.js';
import { startCluster } from '../../cluster/start-cluster.js';
import { InputError } from '../../run/errors.js';

export function parseMembers(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim())) throw new InputError(`cluster size "${raw}" is not a whole number`, 'use --members 1-7');
  return n;
}

function parseFlag(raw: string, acc: EtcdFlags = {}): EtcdFlags {
  const m = /^-*([\w.-]+)=(.*)$/.exec(raw);
  if (!m) throw new InputError(`etcd flag "${raw}" is not name=value`, 'write it as --flag quota-backend-bytes=16777216');
  return { ...acc, [m[1]!]: m[2]! };
}

/** `firedrill up`: a cluster to poke at by hand, removed on Ctrl-C. */
export function upCommand(): Command {
  return new Command('up')
    .description('start a cluster, print its endpoints and a ready-to-paste etcdctl command, hold it until Ctrl-C, then remove it')
    .option('-m, --members <n>', 'cluster size (1-7)', parseMembers, 3)
    .option('-v, --version <v>', 'etcd version: 3.4 or 3.5', '3.5')
    .option('--image <image>', 'use this local image instead of a built one')
    .addOption(new Option('--timing <profile>', 'raft timings').choices(['production', 'fast']).default('production'))
    .option('--flag <name=value>', 'extra etcd flag for every member (repeatable)', parseFlag)
    .option('--no-v2', 'do not enable the v2 API')
    .option('--tls', 'TLS everywhere: https, client and peer certificate auth')
    .option('--peer-proxy', 'a delay proxy in front of every peer port (members advertise :2381), for Faults.delay')
    .option('--auth', 'password auth on (root; the password is printed once here, masked everywhere else)')
    .action(
      async (opts: {
        members: number;
        version: string;
        image?: string;
        timing: 'production' | 'fast';
        flag?: EtcdFlags;
        v2: boolean;
        tls?: boolean;
        peerProxy?: boolean;
      }) => {
        const t0 = performance.now();
        const cluster = await startCluster(
          {
            members: opts.members,
            version: opts.version,
            image: opts.image,
            timing: opts.timing,
            flags: opts.flag,
            enableV2: opts.v2,
            tls: opts.tls,
            peerProxy: opts.peerProxy,
          },
          { log: (s) => console.log(s) },
        );
        const leader = await cluster.leader();
        console.log(
          `cluster ${cluster.runId} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${cluster.network.subnet} (${cluster.spec.image})`,
        );
        for (const m of cluster.members) {
          console.log(
            `  ${m.name}  id ${(m.id ?? '?').padEnd(16)}  ${m.clientUrl}  container ${m.containerName}${m === leader?.leader ? '  (leader)' : ''}`,
          );
        }
        // The same flags the seeds pass; the files are mounted in every member.
        const tlsFlags =
          (cluster.spec.tls ? ` ${etcdctlTlsFlags(3).join(' ')}` : '') +
          (cluster.auth ? ` --user ${cluster.auth.user}:${cluster.auth.password}` : '');
        console.log('\nTry:');
        console.log(
          `  docker exec -it ${cluster.member(1).containerName} etcdctl --endpoints=${cluster.endpoints()}${tlsFlags} endpoint status -w table`,
        );
        console.log(
          `  ETCDCTL_API=3 etcdctl --endpoints=${cluster.endpoints()} member list -w table   # from this host, if etcdctl is installed${cluster.spec.tls ? ' (TLS: copy the certificates out of a member first)' : ''}`,
        );
        console.log('\nCtrl-C removes the cluster.');
        // Held open until SIGINT/SIGTERM: the handler registered by startCluster removes it and exits.
        // A pending promise alone does not keep Node alive; a timer does.
        setInterval(() => {}, 1 << 30);
        await new Promise(() => {});
      },
    );
}
