import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ESC = String.fromCharCode(27);

/** `firedrill <args>` with stdout and stderr apart (--json promises stdout holds only the JSON). */
function firedrill(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/firedrill.mjs', ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('firedrill run --json / --reporter / --quiet, and firedrill report', () => {
  const reports = mkdtempSync(join(tmpdir(), 'firedrill-cli-report-'));
  afterAll(() => rmSync(reports, { recursive: true, force: true }));

  it('--json prints only JSON on stdout; --reporter picks the files; no colour in a pipe', async () => {
    const r = await firedrill(['run', 'quota-exhaustion', '--json', '--reporter', 'junit,summary', '--reports', reports]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { passed: boolean; runs: Array<{ runId: string; outcome: string; files: Record<string, string> }> };
    expect(out.passed).toBe(true);
    const [run] = out.runs;
    expect(run!.outcome).toBe('pass');
    expect(Object.keys(run!.files).sort()).toEqual(['json', 'junit', 'summary']);
    expect(existsSync(join(reports, run!.runId, 'report.html'))).toBe(false);
    // progress went to stderr, as plain lines: not a TTY
    expect(r.stderr).toContain('check   cluster accepts writes');
    expect(r.stderr + r.stdout).not.toContain(ESC);

    // `firedrill report` builds the missing report.html from report.json and prints its path
    const rep = await firedrill(['report', '--reports', reports]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout.trim().endsWith(join(run!.runId, 'report.html'))).toBe(true);
    expect(readFileSync(join(reports, run!.runId, 'report.html'), 'utf8')).toContain('id="verdict"');
    expect(existsSync(join(reports, 'index.html'))).toBe(true);
  });

  it('--quiet prints the summary only; bad names are one line and exit 2', async () => {
    const bad = await firedrill(['run', 'quota-exhaustion', '--reporter', 'pdf', '--reports', reports]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'firedrill: unknown reporter "pdf"; use --reporter with any of json,html,junit,summary (comma-separated)',
    );
    const none = await firedrill(['report', 'no-such-run', '--reports', reports]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const q = await firedrill(['run', 'quota-exhaustion', '--quiet', '--reports', reports], { NO_COLOR: '1' });
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).not.toContain('check   ');
    expect(q.stdout).toMatch(/summary\n {2}PASS {4}quota-exhaustion/);
    expect(q.stdout).toMatch(/report: .*report\.html/);
  });
});
