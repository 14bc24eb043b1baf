import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared Jepsen histories live beside the repository (`../shared/histories/jepsen-etcd` from
 * its root), in the work tree as in CI's fresh clone; FIREDRILL_SHARED overrides the shared dir.
 */
export function jepsenDir(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const shared = process.env.FIREDRILL_SHARED ?? resolve(root, '..', 'shared');
  const dir = join(shared, 'histories', 'jepsen-etcd');
  if (!existsSync(join(dir, 'verdicts.tsv')))
    throw new Error(`Jepsen histories not found at ${dir}: put shared/ beside the repository or set FIREDRILL_SHARED`);
  return dir;
}

export function jepsenFiles(): { file: string; text: string; verdict?: 'linearizable' | 'not-linearizable' }[] {
  const dir = jepsenDir();
  const verdicts = new Map(
    readFileSync(join(dir, 'verdicts.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, 'linearizable' | 'not-linearizable']),
  );
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8'), verdict: verdicts.get(file) }));
}
