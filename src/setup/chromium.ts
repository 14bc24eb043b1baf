import { existsSync } from 'node:fs';
import { EnvironmentError } from '../run/errors.js';
import { aptInstall, canAptInstall } from './apt-install.js';

/** Where Debian's `chromium` package puts the browser (and other common places). */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/local/bin/chromium'];

export type ChromiumFound = { path: string; installed: boolean } | { skip: string };

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
  const hasFont = CJK_FONTS.some((f) => existsSync(f));
  const found = findChromium();
  if (found && hasFont) return { path: found, installed: false };
  if (!canAptInstall()) {
    if (found) return { path: found, installed: false };
    return {
      skip: 'no chromium found and this is not root on Debian/Ubuntu: install it (Debian: `apt-get install -y chromium`) or set FIREDRILL_CHROMIUM',
    };
  }
  // Separately: a font apt cannot install must not cost the browser.
  if (!found) {
    const install = await aptInstall(['chromium']);
    if (!findChromium()) {
      throw new EnvironmentError(
        `apt-get install chromium failed (exit ${install.exitCode}): ${install.last}`,
        'check that the Debian package archive is reachable, or set FIREDRILL_CHROMIUM',
      );
    }
  }
  if (!hasFont) await aptInstall(['fonts-wqy-microhei']);
  return { path: findChromium()!, installed: !found };
}
