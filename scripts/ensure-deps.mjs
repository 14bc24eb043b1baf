// Installs the npm dependencies when they are missing or older than package-lock.json, so the
// README's two commands work on a fresh clone with nothing run before them. Plain Node on purpose:
// it runs before any dependency exists. Takes a few ms when all is there.
import { execSync } from 'node:child_process';
import process from 'node:process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
if (!fresh) {
  process.stderr.write('firedrill: installing npm dependencies (npm ci) ...\n');
  execSync('npm ci --no-audit --no-fund', { stdio: ['ignore', 'inherit', 'inherit'] });
}
