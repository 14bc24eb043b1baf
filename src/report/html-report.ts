import type { CommandResult } from '../cluster/command-result.js';
import { pieceChart, stepsChart, type PieceOp } from './charts.js';
import { leaderChart, memberViewChart, termChart } from './cluster-charts.js';
import { escapeHtml as h } from './escape.js';
import { STYLE } from './report-style.js';
import type { RunEvent } from './events.js';
import { reportSeries } from './report-series.js';
import type { RunReport, StepLogEntry } from './run-report.js';
import { runOutcome } from './run-outcome.js';
import { dbSizeChart, latencyChart, throughputChart } from './workload-charts.js';

export interface HtmlReportOptions {
  /** Member name → its whole log (read from members/<name>.log); shown collapsed. */
  logs?: Record<string, string>;
  /** Longest log tail kept per member, in characters (a page must still open). */
  maxLogChars?: number;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const badge = (status: string, text = status): string => `<span class="badge ${h(status.replace(/\s+/g, '-'))}">${h(text)}</span>`;

function factsHtml(r: RunReport): string {
  const c = r.cluster;
  const facts: Array<[string, string]> = [
    ['run', r.runId],
    ['variant', r.variant],
    ['cluster', `${c.members} members, etcd ${c.version}`],
    ['image', c.image ?? '?'],
    ['security', [c.tls ? 'TLS' : 'plain http', c.auth ? 'password auth' : 'no auth'].join(', ')],
    ['seed', String(r.seed)],
    ['started', r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')],
    ['duration', secs(r.durationMs)],
    ['writes', `${r.writes.ok} acknowledged, ${r.writes.unknown} unknown, ${r.writes.fail} failed`],
    ['source', `${r.scenario.source.runbook}; ${r.scenario.source.seed}`],
  ];
  return `<div class="facts">${facts.map(([k, v]) => `<div><b>${h(k)}</b>${h(v)}</div>`).join('')}</div>`;
}

function verdictHtml(r: RunReport): string {
  const o = runOutcome(r);
  const cls = o.ok ? 'ok' : r.status === 'unknown' && !r.negativeControl ? 'unknown' : 'bad';
  const text = r.negativeControl ? `${r.status.toUpperCase()} · ${o.label}` : o.label.toUpperCase();
  return `<div class="verdict" id="verdict"><span class="big ${cls}">${h(text)}</span><span>${h(o.why)}</span></div>`;
}

function checksHtml(r: RunReport): string {
  const mustFail = new Set(r.negativeControl?.mustFail ?? []);
  const rows = r.checks
    .map(
      (c) => `<tr class="check-${h(c.verdict.status)}">
<td>${badge(c.verdict.status)}</td>
<td>${h(c.name)}${mustFail.has(c.name) ? ' <span class="expected">(must fail in this negative control)</span>' : ''}</td>
<td>${c.assumption ? 'assumption' : 'check'}</td>
<td>${h(c.verdict.message)}${detailsHtml(c.verdict.details)}</td>
<td class="num">${secs(c.durationMs)}</td></tr>`,
    )
    .join('\n');
  if (!rows) return '<p class="muted">No check ran.</p>';
  return `<table class="checks"><thead><tr><th>verdict</th><th>check</th><th>kind</th><th>what it saw</th><th class="num">took</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A check's details, collapsed; a `piece` (e.g. the non-linearizable part of a history) gets its own table. */
function detailsHtml(details: unknown): string {
  if (details === undefined || details === null) return '';
  const d = details as Record<string, unknown>;
  const piece = typeof d === 'object' && 'piece' in d ? d.piece : undefined;
  const rest = typeof d === 'object' && !Array.isArray(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'piece')) : d;
  const restJson = typeof rest === 'object' && rest && Object.keys(rest).length === 0 ? '' : JSON.stringify(rest, null, 2);
  return `${piece !== undefined ? `<div><a href="#history">the piece of history it found: below</a></div>` : ''}${
    restJson ? `<details><summary class="muted">details</summary><pre>${h(restJson.slice(0, 20_000))}</pre></details>` : ''
  }`;
}

/**
 * A piece of history in whatever shape the checker gives it: a text timeline, a list of
 * operations, or an object holding `ops` (client lanes with call/return times get a chart).
 */
export function pieceHtml(piece: unknown): string {
  if (typeof piece === 'string') return `<pre>${h(piece)}</pre>`;
  const p = piece as Record<string, unknown> | null;
  const ops = Array.isArray(piece) ? piece : p && typeof p === 'object' && Array.isArray(p.ops) ? (p.ops as unknown[]) : undefined;
  if (!ops) return valueTable(piece);
  const drawable =
    ops.length > 0 &&
    ops.every((o) => o && typeof o === 'object' && typeof (o as PieceOp).client === 'string' && typeof (o as PieceOp).call === 'number');
  const rest = p && !Array.isArray(p) ? Object.entries(p).filter(([k]) => k !== 'ops') : [];
  return `${rest.length ? `<div class="muted">${rest.map(([k, v]) => `${h(k)}: ${h(typeof v === 'object' ? JSON.stringify(v) : v)}`).join(' · ')}</div>` : ''}${
    drawable ? `<div class="chart">${pieceChart(ops as PieceOp[])}</div>` : ''
  }${valueTable(ops)}`;
}

/** Any JSON value as HTML: an array of objects becomes a table with the union of their keys. */
export function valueTable(v: unknown): string {
  if (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    const keys = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
    const cell = (x: unknown): string => (x === undefined ? '' : typeof x === 'object' ? `<code>${h(JSON.stringify(x))}</code>` : h(x));
    return `<table><thead><tr>${keys.map((k) => `<th>${h(k)}</th>`).join('')}</tr></thead><tbody>${v
      .map((row) => `<tr>${keys.map((k) => `<td>${cell((row as Record<string, unknown>)[k])}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  }
  return `<pre>${h(typeof v === 'string' ? v : JSON.stringify(v, null, 2))}</pre>`;
}

/** Every check's `details.piece` (e.g. the smallest non-linearizable part of a history), full width. */
function piecesHtml(r: RunReport): string {
  return r.checks
    .flatMap((c) => {
      const d = c.verdict.details as Record<string, unknown> | undefined;
      if (!d || typeof d !== 'object' || !('piece' in d)) return [];
      return [`<h3 style="font-size:14px">${badge(c.verdict.status)} ${h(c.name)}</h3><p>${h(c.verdict.message)}</p>${pieceHtml(d.piece)}`];
    })
    .join('\n');
}

function timingsHtml(r: RunReport): string {
  const units = new Map(r.events.flatMap((e) => (e.type === 'metric' ? [[e.name, e.unit] as const] : [])));
  const rows = Object.entries(r.timings).map(([k, v]) => {
    const unit = units.get(k) ?? 'ms';
    const shown = unit === 'ms' ? `${v} ms` : unit === 'bytes' ? `${v} bytes (${(v / 1024 / 1024).toFixed(2)} MiB)` : `${v} ${unit}`;
    return `<tr><td>${h(k)}</td><td class="num">${h(shown)}</td></tr>`;
  });
  return rows.length ? `<table style="width:auto"><tbody>${rows.join('')}</tbody></table>` : '<p class="muted">No measurements.</p>';
}

/** `first`: the run's first leader-changed event (`from` is absent both there and after "no leader"). */
function eventLine(e: RunEvent, first = false): [string, string] | undefined {
  switch (e.type) {
    case 'run-start':
      return ['run', `start: ${e.scenario} [${e.variant}] ${e.members} members, etcd ${e.version}${e.tls ? ', TLS' : ''}, seed ${e.seed}`];
    case 'cluster-ready':
      return ['cluster', `ready in ${secs(e.elapsedMs)}, leader ${e.leader ?? '?'}`];
    case 'phase':
      return ['phase', e.phase];
    case 'step-end':
      return [
        'step',
        `${e.phase}: ${e.name} (${secs(e.durationMs)})${e.error ? ` threw: ${e.error}` : ''}${e.notes.length ? ` · ${e.notes.join('; ')}` : ''}`,
      ];
    case 'fault-injected':
      return ['fault', `injected ${e.name} on ${e.members.join(', ')}`];
    case 'fault-healed':
      return ['heal', `healed ${e.name} on ${e.members.join(', ')}`];
    case 'leader-changed':
      return ['leader', `${first ? 'first leader' : `${e.from ?? 'none'} →`} ${e.to ?? 'none'}${e.term ? ` (term ${e.term})` : ''}`];
    case 'metric':
      return ['metric', `${e.name}: ${e.value} ${e.unit}`];
    case 'check':
      return [e.verdict.status, `${e.assumption ? 'assumption' : 'check'} ${e.name}: ${e.verdict.message}`];
    case 'run-end':
      return ['run', `end: ${e.status} after ${secs(e.durationMs)}`];
    default:
      return undefined; // commands are in the step log, member samples in the charts
  }
}

function timelineHtml(r: RunReport): string {
  const firstLeader = r.events.find((e) => e.type === 'leader-changed');
  const rows = r.events.flatMap((e) => {
    const line = eventLine(e, e === firstLeader);
    if (!line) return [];
    const at = e.type === 'step-end' ? e.at - e.durationMs : e.at;
    const kind = ['pass', 'fail', 'unknown'].includes(line[0]) ? badge(line[0]) : `<span class="badge phase">${h(line[0])}</span>`;
    return [{ at, html: `<tr><td class="num">${(at / 1000).toFixed(2)}</td><td>${kind}</td><td>${h(line[1])}</td></tr>` }];
  });
  rows.sort((a, b) => a.at - b.at);
  return `<table><thead><tr><th class="num">s</th><th>what</th><th></th></tr></thead><tbody>${rows.map((x) => x.html).join('\n')}</tbody></table>`;
}

function commandHtml(c: CommandResult): string {
  const exit = c.exitCode === null ? (c.timedOut ? 'timed out' : 'no exit') : `exit ${c.exitCode}`;
  const out = (name: string, text: string): string =>
    text.trim() ? `<div class="muted">${name}</div><pre>${h(text.slice(0, 100_000))}</pre>` : '';
  return `<div class="cmd"><div class="line"><span class="exit${c.ok ? '' : ' nz'}">${h(exit)}</span> <span class="muted">${h(c.where)} $</span> ${h(c.command)} <span class="muted">(${Math.round(c.durationMs)} ms)</span></div>${out('stdout', c.stdout)}${out('stderr', c.stderr)}</div>`;
}

function stepHtml(s: StepLogEntry): string {
  const exits = s.commands
    .map((c) => `<span class="exit${c.ok ? '' : ' nz'}">${c.exitCode ?? (c.timedOut ? 'timeout' : '?')}</span>`)
    .join(' ');
  return `<details class="step${s.error ? ' error' : ''}"${s.error ? ' open' : ''}>
<summary><span class="badge phase">${h(s.phase)}</span> <b>${s.index + 1}. ${h(s.name)}</b> <span class="muted">at ${secs(s.startedAt)}, took ${secs(s.durationMs)}${
    s.commands.length ? `, ${s.commands.length} command${s.commands.length > 1 ? 's' : ''}` : ''
  }</span> ${exits}${s.error ? ` ${badge('fail', 'threw')}` : ''}</summary>
${s.source ? `<div class="muted">source: ${h(s.source)}</div>` : ''}
${s.error ? `<div class="banner">${h(s.error)}</div>` : ''}
${s.notes.length ? `<ul>${s.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
${s.commands.map(commandHtml).join('\n')}
</details>`;
}

function writesHtml(r: RunReport): string {
  const bad = r.writes.ops.filter((o) => o.outcome !== 'ok');
  if (bad.length === 0) return `<p>All ${r.writes.ok} writes were acknowledged.</p>`;
  const rows = bad
    .slice(0, 300)
    .map(
      (o) =>
        `<tr><td class="num">${(o.call / 1000).toFixed(2)}</td><td class="num">${Math.round(o.ret - o.call)}</td><td>${badge(o.outcome)}</td><td><code>${h(o.key)}</code></td><td>${h(o.mark)}</td><td>${h(o.error ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<details><summary>${bad.length} writes not acknowledged (unknown: may or may not have been applied; failed: etcd refused them for sure)</summary>
<table><thead><tr><th class="num">call s</th><th class="num">ms</th><th>outcome</th><th>key</th><th>phase mark</th><th>error</th></tr></thead><tbody>${rows}</tbody></table>${
    bad.length > 300 ? `<p class="muted">${bad.length - 300} more in report.json</p>` : ''
  }</details>`;
}

function logsHtml(logs: Record<string, string>, max: number): string {
  const names = Object.keys(logs).sort();
  if (names.length === 0) return '<p class="muted">No member logs were collected.</p>';
  return names
    .map((n) => {
      const text = logs[n]!;
      const cut = text.length > max;
      const shown = cut ? text.slice(text.length - max) : text;
      return `<details><summary><b>${h(n)}</b> <span class="muted">${text.split('\n').length} lines${cut ? `, last ${max} characters shown (whole log: members/${h(n)}.log)` : ''}</span></summary><pre>${h(shown)}</pre></details>`;
    })
    .join('\n');
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${h(title)}</h2>${body}</section>`;
}

/** report.html: one self-contained page (inline CSS, server-rendered SVG charts, no script). */
export function buildHtmlReport(r: RunReport, opts: HtmlReportOptions = {}): string {
  const s = reportSeries(r);
  const hasWrites = r.writes.ops.length > 0;
  const charts = [
    hasWrites ? throughputChart(s) : '',
    hasWrites ? latencyChart(s) : '',
    leaderChart(s),
    s.samples.length ? memberViewChart(s) : '',
    termChart(s),
    s.dbRelevant ? dbSizeChart(s, r) : '',
    r.steps.length ? stepsChart(r, s) : '',
  ]
    .filter(Boolean)
    .map((svg) => `<div class="chart">${svg}</div>`)
    .join('\n');
  const banners = [
    !r.complete ? `<div class="banner">This run did not finish: the evidence below is partial.</div>` : '',
    r.error ? `<div class="banner">${h(r.error)}</div>` : '',
    r.asWritten
      ? `<div class="banner note">As written (${h(r.asWritten.seed)}): ${h(r.asWritten.title)}<br><q>${h(r.asWritten.quote)}</q></div>`
      : '',
  ].join('');
  const claims = r.seedClaims?.length
    ? section(
        'claims',
        'Where the seeds and etcd differ',
        `<table><thead><tr><th>seed</th><th>it says</th><th>what etcd does</th></tr></thead><tbody>${r.seedClaims
          .map((c) => `<tr><td>${h(c.seed)}</td><td>${h(c.claim)}</td><td>${h(c.reality)}</td></tr>`)
          .join('')}</tbody></table>`,
      )
    : '';
  const pieces = piecesHtml(r);
  const nav = [
    ['verdicts', 'Verdicts'],
    ...(pieces ? [['history', 'History piece']] : []),
    ['charts', 'Charts'],
    ['timeline', 'Timeline'],
    ['steps', 'Step log'],
    ['writes', 'Writes'],
    ...(claims ? [['claims', 'Seeds vs etcd']] : []),
    ['logs', 'Member logs'],
  ]
    .map(([id, t]) => `<a href="#${id}">${t}</a>`)
    .join('');
  const title = `${r.scenario.id} [${r.variant}] ${r.cluster.members} × etcd ${r.cluster.version}: ${runOutcome(r).label}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${h(r.scenario.title)}</h1><div class="sub"><code>${h(r.scenario.id)}</code> · ${h(r.variant)} · <a href="../index.html">all runs</a> · <a href="report.json">report.json</a></div>
${verdictHtml(r)}${factsHtml(r)}${banners}</header>
<nav>${nav}</nav>
<main>
${section('verdicts', 'Verdicts', checksHtml(r) + `<h3 style="font-size:14px">Measurements</h3>${timingsHtml(r)}`)}
${pieces ? section('history', 'The piece of history that is not linearizable', pieces) : ''}
${section('charts', 'Charts', `<p class="muted">Shaded red: a fault in force${s.dbRelevant ? ' or the NOSPACE alarm raised' : ''}. Dashed lines: phase starts. Times are seconds since the run started${s.startMs ? `; the cluster's bring-up (0 to ${secs(s.startMs)}) is left out` : ''}.</p>${charts}`)}
${section('timeline', 'Timeline', timelineHtml(r))}
${section('steps', 'Step log', `<p class="muted">Every command as run, with its exit code and output; a non-zero exit is data, not an error.</p>${r.steps.map(stepHtml).join('\n')}`)}
${section('writes', 'Writes', writesHtml(r))}
${claims}
${section('logs', 'Member logs', logsHtml(opts.logs ?? {}, opts.maxLogChars ?? 400_000))}
</main></body></html>
`;
}
