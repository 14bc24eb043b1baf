import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { quotaExhaustion } from '../../scenarios/quota-exhaustion.js';
import { buildHtmlReport } from '../../src/report/html-report.js';
import type { RunReport } from '../../src/report/run-report.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { ensureChromium, type ChromiumFound } from '../../src/setup/chromium.js';
import { visitPage } from './headless-page.js';

// Under reports/ (not committed), kept after the test: the screenshot is there for people to look at.
const REPORTS = resolve('reports', 'test-report-html');

// What a person checks first: the verdict, the charts (as drawn, with a size), the step log.
const LOOK = {
  verdict: `document.querySelector('#verdict')?.innerText ?? ''`,
  charts: `[...document.querySelectorAll('.chart svg')].filter((s) => { const b = s.getBoundingClientRect(); return b.width > 300 && b.height > 100; }).length`,
  chartTitles: `[...document.querySelectorAll('.chart svg text')].map((t) => t.textContent).filter((t) => /^(Write|Leader|Whom|Raft|Backend|Steps)/.test(t))`,
  checkRows: `document.querySelectorAll('#verdicts table.checks > tbody > tr').length`,
  steps: `document.querySelectorAll('#steps details.step').length`,
  logs: `document.querySelectorAll('#logs details').length`,
  scripts: `document.scripts.length`,
  bodyText: `document.body.innerText`,
};

describe('report.html in headless Chromium, as a person looks at it', () => {
  let chromium: ChromiumFound;
  let report: RunReport;
  let dir: string;

  beforeAll(async () => {
    // Installs Debian's chromium (and a CJK font for the seeds' Chinese) when missing, as root.
    chromium = await ensureChromium();
    if ('skip' in chromium) console.warn(`report-html: skipped: ${chromium.skip}`);
    rmSync(REPORTS, { recursive: true, force: true });
    // A real run on a real 3-member cluster: every run writes these files by default.
    report = await runScenario(quotaExhaustion, { members: 3, version: '3.5', reportsDir: REPORTS });
    dir = join(REPORTS, report.runId);
  }, 600_000);

  it('every run writes report.json, report.html, junit.xml, summary.md, and the index', () => {
    for (const f of ['report.json', 'report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(REPORTS, 'index.html'), 'utf8')).toContain(`${report.runId}/report.html`);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testcase classname="etcd-firedrill.quota-exhaustion"');
    expect(junit.includes('<failure')).toBe(report.status === 'fail');
    // Self-contained: nothing to fetch, so it opens offline.
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link |(src|href)="(https?:)?\/\//);
  });

  it('shows the verdict, the charts and the step log, with no console error; screenshot kept', async (ctx) => {
    if ('skip' in chromium) return ctx.skip(chromium.skip);
    const screenshot = join(dir, 'screenshot.png');
    const page = await visitPage(chromium.path, join(dir, 'report.html'), { evaluate: LOOK, screenshot });
    expect(page.problems).toEqual([]);
    const v = page.values;
    expect(v.verdict).toMatch(report.status === 'pass' ? /^PASS/ : /^(FAIL|UNKNOWN)/);
    // throughput, latency, leader, each member's view, term, db size (a quota run), steps
    expect(v.charts).toBe(7);
    expect(v.chartTitles).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Backend db size/), expect.stringMatching(/^Write throughput/)]),
    );
    expect(v.checkRows).toBe(report.checks.length);
    expect(v.steps).toBe(report.steps.length);
    expect(v.logs).toBe(3);
    expect(v.scripts).toBe(0);
    expect(v.bodyText).toContain('database space exceeded');
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);
    console.log(`report-html: screenshot of a real report: ${screenshot}`);
  });

  it('hostile command output stays text: no script runs, nothing is fetched', async (ctx) => {
    if ('skip' in chromium) return ctx.skip(chromium.skip);
    const evil = '<script>console.error("injected")</script><img src="http://127.0.0.1:9/x.png" onerror="console.error(1)"></pre>&amp;';
    const r = structuredClone(report);
    const cmd = r.steps.flatMap((s) => s.commands)[0]!;
    cmd.stdout = evil;
    r.checks[0]!.verdict.message = evil;
    const file = join(dir, 'hostile.html');
    writeFileSync(file, buildHtmlReport(r, { logs: { 'etcd-1': evil } }));
    const page = await visitPage(chromium.path, file, {
      evaluate: { text: LOOK.bodyText, imgs: `document.images.length`, scripts: LOOK.scripts },
    });
    expect(page.problems).toEqual([]);
    expect(page.values.scripts).toBe(0);
    expect(page.values.imgs).toBe(0);
    expect(page.values.text).toContain('<script>console.error("injected")</script>');
  });

  it('the index of runs opens without console errors and links the run', async (ctx) => {
    if ('skip' in chromium) return ctx.skip(chromium.skip);
    const page = await visitPage(chromium.path, join(REPORTS, 'index.html'), {
      evaluate: { links: `[...document.querySelectorAll('#runs a')].map((a) => a.getAttribute('href'))` },
    });
    expect(page.problems).toEqual([]);
    expect(page.values.links).toContain(`${report.runId}/report.html`);
  });
});
