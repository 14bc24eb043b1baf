import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleReporter } from '../../src/report/console-reporter.js';
import { escapeHtml, escapeXml } from '../../src/report/escape.js';
import { buildHtmlReport, valueTable } from '../../src/report/html-report.js';
import { buildIndexHtml } from '../../src/report/index-page.js';
import { buildJunitXml } from '../../src/report/junit-reporter.js';
import { reportSeries } from '../../src/report/report-series.js';
import { runOutcome } from '../../src/report/run-outcome.js';
import { buildSummaryMarkdown, writeSummary } from '../../src/report/summary-reporter.js';
import { colorWanted, fit } from '../../src/report/term-style.js';
import { parseReporters } from '../../src/cli/commands/run.js';
import { sampleReport, withFailedCheck } from './report-fixture.js';

const ESC = String.fromCharCode(27);
const HOSTILE = '<script>alert("x")</script> & </pre><img src=x onerror=alert(1)>';

describe('escaping', () => {
  it('escapes markup in HTML and XML, drops characters XML forbids', () => {
    expect(escapeHtml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u001bc <&>')).toBe('abc &lt;&amp;&gt;');
    expect(escapeXml('two\nlines', true)).toBe('two&#10;lines');
  });
});

describe('junit.xml', () => {
  it('a passing run is a testcase without failure', () => {
    const xml = buildJunitXml(sampleReport());
    expect(xml).toMatch(
      /<testcase classname="etcd-firedrill.leader-kill" name="leader-kill \[runbook\] 3 members, etcd 3.5" time="9.000">/,
    );
    expect(xml).not.toMatch(/<failure|<error/);
    expect(xml).toMatch(/tests="1" failures="0" errors="0"/);
  });

  it('a failed check becomes <failure> with its name and escaped message', () => {
    const xml = buildJunitXml(withFailedCheck(sampleReport()));
    expect(xml).toMatch(/<failure type="CheckFailed" message="1 check failed: acknowledged writes present on every member">/);
    expect(xml).toContain('revision &lt;5&gt; &amp; &quot;6&quot; differ');
    expect(xml).toMatch(/failures="1" errors="0"/);
    expect(xml).not.toContain('<5>');
  });

  it('a negative control that failed as expected passes; one that did not is the failure', () => {
    const failed = withFailedCheck(sampleReport({ variant: 'pitfall' }));
    const expected = {
      ...failed,
      negativeControl: { mustFail: ['acknowledged writes present on every member'], failedAsExpected: true, missing: [] },
    };
    expect(runOutcome(expected)).toMatchObject({ ok: true, label: 'failed as expected' });
    expect(buildJunitXml(expected)).not.toMatch(/<failure|<error/);
    const passedPitfall = sampleReport({
      variant: 'pitfall',
      negativeControl: { mustFail: ['no alarms'], failedAsExpected: false, missing: ['no alarms'] },
    });
    expect(buildJunitXml(passedPitfall)).toMatch(
      /<failure type="NegativeControlDidNotFail" message="negative control \(pitfall\) did NOT fail on: no alarms">/,
    );
  });

  it('an unknown or interrupted run is an <error>', () => {
    const r = sampleReport({ complete: false, status: 'unknown', error: 'interrupted (SIGINT or SIGTERM) <before> the end' });
    const xml = buildJunitXml(r);
    expect(xml).toMatch(/<error type="Incomplete" message="interrupted \(SIGINT or SIGTERM\) &lt;before&gt; the end">/);
    expect(xml).toMatch(/failures="0" errors="1"/);
  });
});

describe('summary.md', () => {
  it('one row per check; pipes, newlines and markup in messages cannot break the table', () => {
    const md = buildSummaryMarkdown(withFailedCheck(sampleReport(), 'a | b\n<b>c</b>'));
    expect(md).toMatch(/^### ❌ leader-kill · runbook · 3 × etcd 3.5: \*\*fail\*\*/);
    expect(md).toContain('| ❌ fail | acknowledged writes present on every member | a \\| b &lt;b&gt;c&lt;/b&gt; |');
    expect(md).toContain('| ✅ pass | cluster accepts writes | put and get succeeded |');
    expect(md).toContain('election after leader kill 900 ms');
  });

  it('is appended to $GITHUB_STEP_SUMMARY when set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-summary-'));
    try {
      const step = join(dir, 'step-summary.md');
      writeFileSync(step, '# earlier\n');
      writeSummary(sampleReport(), join(dir, 'run'), { GITHUB_STEP_SUMMARY: step });
      writeSummary(sampleReport(), join(dir, 'run2'), {});
      const text = readFileSync(step, 'utf8');
      expect(text.startsWith('# earlier\n### ✅ leader-kill')).toBe(true);
      expect(text.match(/### /g)).toHaveLength(1);
      expect(readFileSync(join(dir, 'run', 'summary.md'), 'utf8')).toContain('**pass**');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report.html', () => {
  it('escapes command output, step names and log text; has no script and fetches nothing', () => {
    const r = sampleReport();
    r.steps[1]!.commands[0]!.stdout = HOSTILE;
    r.steps[1]!.name = `step ${HOSTILE}`;
    const html = buildHtmlReport(withFailedCheck(r, HOSTILE), { logs: { 'etcd-1': `log ${HOSTILE}` } });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link /);
  });

  it('shows the verdict and server-rendered SVG charts: throughput, latency, leader, member view, term, steps', () => {
    const html = buildHtmlReport(sampleReport());
    expect(html).toMatch(/<div class="verdict" id="verdict"><span class="big ok">PASS<\/span>/);
    const svgs = html.match(/<svg[\s>]/g) ?? [];
    expect(svgs.length).toBe(6);
    for (const title of [
      'Write throughput',
      'Write latency',
      'Leader over time',
      'Whom each member names',
      'Raft term per member',
      'Steps',
    ])
      expect(html).toContain(title);
    // db size is charted for runs about the backend size only
    expect(html).not.toContain('Backend db size');
    const quota = sampleReport({
      events: [...sampleReport().events, { type: 'metric', at: 6000, name: 'db size before recovery', value: 9e6, unit: 'bytes' }],
    });
    expect(buildHtmlReport(quota)).toContain('Backend db size');
  });

  it('the timeline names the first leader, and a leader after none as "none →"', () => {
    const base = sampleReport();
    const events = [
      ...base.events,
      { type: 'leader-changed' as const, at: 5100, from: 'etcd-2', term: 0 },
      { type: 'leader-changed' as const, at: 5200, to: 'etcd-3', term: 4 },
    ];
    const html = buildHtmlReport({ ...base, events });
    expect(html).toContain('first leader etcd-1 (term 2)');
    expect(html).toContain('etcd-1 → etcd-2 (term 3)');
    expect(html).toContain('etcd-2 → none');
    expect(html).toContain('none → etcd-3 (term 4)');
  });

  it('a run that crashed before the cluster came up still renders, marked partial', () => {
    const r = sampleReport({
      complete: false,
      status: 'unknown',
      error: 'docker: image missing',
      steps: [],
      checks: [],
      writes: { ok: 0, fail: 0, unknown: 0, ops: [] },
      events: [sampleReport().events[0]!],
      durationMs: 120,
      timings: {},
    });
    const html = buildHtmlReport(r);
    expect(html).toContain('INCOMPLETE');
    expect(html).toContain('This run did not finish: the evidence below is partial.');
    expect(html).toContain('docker: image missing');
    expect(buildJunitXml(r)).toMatch(/<error type="Incomplete"/);
    expect(buildSummaryMarkdown(r)).toContain('**incomplete**');
  });

  it('a negative control shows that it failed as expected, and which checks had to fail', () => {
    const r = withFailedCheck(sampleReport({ variant: 'pitfall' }));
    r.negativeControl = { mustFail: [r.checks[0]!.name], failedAsExpected: true, missing: [] };
    const html = buildHtmlReport(r);
    expect(html).toContain('FAIL · failed as expected');
    expect(html).toContain('(must fail in this negative control)');
  });

  it("renders a check's `piece` of history (any shape) as a table", () => {
    const piece = [
      { process: 1, type: 'ok', f: 'write', value: '<1>' },
      { process: 2, type: 'ok', f: 'read', value: 0, extra: { a: 1 } },
    ];
    const r = sampleReport();
    r.checks[0] = { ...r.checks[0]!, verdict: { status: 'fail', message: 'not linearizable', details: { piece, model: 'register' } } };
    const html = buildHtmlReport(r);
    expect(html).toContain('<section id="history"><h2>The piece of history that is not linearizable</h2>');
    expect(html).toContain('<th>extra</th>');
    expect(html).toContain('&lt;1&gt;');
    expect(html).toContain('&quot;model&quot;: &quot;register&quot;');
    expect(valueTable('plain <text>')).toBe('<pre>plain &lt;text&gt;</pre>');
  });

  it("draws the checker's timeline data (client lanes, call to return) as a chart", () => {
    const piece = {
      key: '/k',
      clients: ['c1', 'c2'],
      minimal: true,
      ops: [
        { id: 1, client: 'c1', call: 0, ret: 10, label: 'put /k 1', outcome: 'ok', linearizedAs: 1 },
        { id: 2, client: 'c2', call: 5, ret: null, label: 'get /k → <2>', outcome: 'unknown', linearizedAs: null },
      ],
    };
    const r = sampleReport();
    r.checks[0] = { ...r.checks[0]!, verdict: { status: 'fail', message: 'not linearizable', details: { piece } } };
    const html = buildHtmlReport(r);
    const section = html.slice(html.indexOf('<section id="history">'), html.indexOf('<section id="charts">'));
    expect(section).toContain('Piece of history (bar: call to return');
    expect(section).toContain('#2 get /k → &lt;2&gt;');
    expect(section.match(/<svg[\s>]/g)).toHaveLength(1);
  });
});

describe('report series', () => {
  it('a kill window ends when the killed member answers again; phases end with the teardown', () => {
    const s = reportSeries(sampleReport());
    expect(s.faults).toEqual([{ from: 4050, to: 6000, label: 'kill etcd-1' }]);
    expect(s.phases.map((p) => p.label)).toEqual(['prepare', 'fault', 'runbook', 'checks', 'teardown']);
    expect(s.throughput.reduce((a, b) => a + b.ok + b.unknown + b.fail, 0)).toBe(40);
    expect(s.startMs).toBe(2000);
  });
});

describe('index.html', () => {
  it('lists runs with their verdicts and links, and charts a timing two runs share', () => {
    const a = sampleReport();
    const b = sampleReport({
      runId: '20261201-090000-beef',
      startedAt: '2026-12-01T09:00:00.000Z',
      timings: { 'election after leader kill': 1200 },
    });
    const html = buildIndexHtml([b, withFailedCheck(a)]);
    expect(html).toContain('<a href="20261201-090000-beef/report.html">leader-kill</a>');
    expect(html).toMatch(/<span class="badge fail">fail<\/span>/);
    expect(html).toContain('election after leader kill (ms) per run');
    expect(html.match(/<svg[\s>]/g)).toHaveLength(1);
  });
});

describe('console', () => {
  it('plain lines without colour when not a terminal; colour only on a TTY without NO_COLOR', () => {
    const out: string[] = [];
    const rep = consoleReporter({ write: (t) => void out.push(t), live: false, color: false, columns: 0 });
    for (const e of sampleReport().events) rep.onEvent?.(e);
    const text = out.join('');
    expect(text).not.toContain(ESC);
    expect(text).toContain('  ok      check   cluster accepts writes: put and get succeeded\n');
    expect(text).toContain('          leader etcd-1 → etcd-2 (term 3)\n');
    expect(text).not.toContain('→ etcd-1');
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
  });

  it('a live terminal gets every line cut to its width', () => {
    const out: string[] = [];
    const rep = consoleReporter({ write: (t) => void out.push(t), live: true, color: true, columns: 40 });
    for (const e of sampleReport().events) rep.onEvent?.(e);
    rep.onRunEnd?.(sampleReport(), '/nonexistent');
    const lines = out
      .join('')
      .replaceAll(ESC, '')
      .replace(/\[[0-9;]*[mK]/g, '')
      .split(/[\r\n]/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(39);
    expect(fit('abcdef', 4)).toBe('abc…');
    // Chinese takes two columns a character: 场景一 is 6 wide
    expect(fit('seed 002 场景一', 20)).toBe('seed 002 场景一');
    expect(fit('seed 002 场景一', 13)).toBe('seed 002 场…');
  });

  it('--reporter names are checked; report.json is always written', () => {
    expect(parseReporters('html,junit')).toEqual(['json', 'html', 'junit']);
    expect(() => parseReporters('html,pdf')).toThrow(/unknown reporter "pdf"/);
  });
});
