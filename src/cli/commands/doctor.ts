import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ETCD_VERSIONS, type EtcdVersion } from '../../../docker/etcd-versions.js';
import { ensureEtcdImage } from '../../../docker/build-image.js';
import { checkClockHelper } from '../../setup/clock-helper.js';
import { ensureDockerEngine, type CheckLine } from '../../setup/docker-engine.js';

const TOOLS = ['iptables', 'nsenter'];

/** `firedrill doctor`: checks (and where it can, fixes) what runs need, one line per check. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check the machine: Docker engine (installed and started when missing, as root on Debian), etcd images (built when missing), tools',
    )
    .option('-q, --quiet', 'print only what was fixed or is missing')
    .option('--no-images', 'do not check or build the etcd images')
    .action(async (opts: { quiet?: boolean; images: boolean }) => {
      const t0 = performance.now();
      const print = (l: CheckLine): void => {
        if (opts.quiet && l.status === 'ok') return;
        console.log(`${l.status.padEnd(7)} ${l.what.padEnd(22)} ${l.detail}`);
      };
      const [major] = process.versions.node.split('.').map(Number);
      print({ what: 'node', status: (major ?? 0) >= 20 ? 'ok' : 'missing', detail: process.version });
      await ensureDockerEngine(print);
      if (opts.images) {
        for (const v of Object.keys(ETCD_VERSIONS) as EtcdVersion[]) {
          let built = '';
          const tag = await ensureEtcdImage(v, (s) => (built = s));
          print({ what: `image etcd ${v}`, status: built ? 'fixed' : 'ok', detail: built || tag });
        }
      }
      await checkClockHelper(print);
      for (const t of TOOLS) {
        const at = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => `${d}/${t}`).find((p) => existsSync(p));
        // Informational: network faults need them, cluster bring-up does not.
        print({
          what: t,
          status: at ? 'ok' : 'missing',
          detail: at ?? 'needed only for network faults (apt-get install iptables util-linux)',
        });
      }
      if (!opts.quiet) console.log(`checked in ${Math.round(performance.now() - t0)} ms`);
    });
}
