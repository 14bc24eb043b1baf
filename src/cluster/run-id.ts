import { randomBytes } from 'node:crypto';

/** Short, sortable, unique id for a run: `20261121-115432-a1b2`. Used in Docker names and reports/. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-21T11:54:32.123Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
