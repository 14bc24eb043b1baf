import { existsSync } from 'node:fs';
import { $ } from 'zx';

/** Where Debian's `chromium` package puts the browser (and other common places). */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/local/bin/chromium'];

export type ChromiumFound = { path: string; installed: boolean } | { skip: string };

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function onDebian(): boolean {
  return existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

/** The first Chromium binary present, or undefined. */
export function findChromium(): string | undefined {
  const env = process.env.FIREDRILL_CHROMIUM;
  if (env && existsSync(env)) return env;
  return CANDIDATES.find((p) => existsSync(p));
}

/** A font with Chinese glyphs: the seeds' section names and quotes are Chinese (a missing font draws boxes). */
const CJK_FONTS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
];

/**
 * Finds headless Chromium for the report render test, installing Debian's `chromium` package (and
 * a small CJK font, fonts-wqy-microhei) with apt when missing and we are root on Debian/Ubuntu (a
 * few seconds to minutes, once). Without root or Debian it answers `{ skip }` with the reason, for
 * the test to say why it did not run; a font it cannot install is not a reason to skip.
 */
export async function ensureChromium(): Promise<ChromiumFound> {
  const packages = [...(findChromium() ? [] : ['chromium']), ...(CJK_FONTS.some((f) => existsSync(f)) ? [] : ['fonts-wqy-microhei'])];
  if (packages.length === 0) return { path: findChromium()!, installed: false };
  if (!isRoot() || !onDebian()) {
    const found = findChromium();
    if (found) return { path: found, installed: false };
    return {
      skip: `no chromium found and this is ${isRoot() ? 'not Debian/Ubuntu' : 'not root'}: install it (Debian: \`apt-get install -y chromium\`) or set FIREDRILL_CHROMIUM`,
    };
  }
  $.verbose = false;
  // needrestart and debconf would otherwise talk to a terminal that is not there.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
  const opts = { env, nothrow: true, quiet: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  let install = await $(opts)`apt-get install -y -qq --no-install-recommends ${packages}`;
  if (install.exitCode !== 0) {
    // The package lists may be missing or stale (a fresh container has none): update once, retry.
    await $(opts)`apt-get update -qq`;
    install = await $(opts)`apt-get install -y -qq --no-install-recommends ${packages}`;
  }
  const path = findChromium();
  if (!path) {
    const last = (install.stderr || install.stdout).trim().split('\n').pop() ?? '';
    throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${install.exitCode}): ${last}`);
  }
  return { path, installed: packages.includes('chromium') };
}
