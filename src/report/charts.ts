import * as echarts from 'echarts';
import type { ReportSeries, Window } from './report-series.js';
import type { RunReport } from './run-report.js';

/** Colours shared by the charts and the page: verdicts and outcomes read the same everywhere. */
export const COLORS = { ok: '#2e7d32', fail: '#c62828', unknown: '#ef6c00', fault: '#c62828', muted: '#9e9e9e', accent: '#1565c0' };
const MEMBER_COLORS = ['#1565c0', '#6a1b9a', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#283593'];
const PHASE_COLORS: Record<string, string> = { prepare: '#78909c', fault: '#c62828', runbook: '#1565c0', checks: '#2e7d32' };

export const CHART_WIDTH = 1100;

/**
 * Renders an echarts option to an SVG string on the server (echarts SSR): no script in the page,
 * the chart is there offline and in a screenshot. Animation off: SSR draws the final frame only.
 */
export function renderSvg(option: echarts.EChartsCoreOption, height: number, width = CHART_WIDTH): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const secs = (ms: number): number => Math.round(ms) / 1000;

/** A tick step giving 6 to 15 ticks, and the axis bounds on multiples of it. */
function ticks(s: ReportSeries): { min: number; max: number; interval: number } {
  const span = Math.max(1, (s.endMs - s.startMs) / 1000);
  const interval = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((i) => span / i <= 15) ?? 600;
  return { min: Math.floor(s.startMs / 1000 / interval) * interval, max: Math.ceil(s.endMs / 1000 / interval) * interval, interval };
}

function timeAxis(s: ReportSeries): object {
  return {
    type: 'value',
    ...ticks(s),
    name: 's since start',
    nameLocation: 'middle',
    nameGap: 24,
    axisLabel: { formatter: '{value}' },
  };
}

/** Fault windows shaded red with their name, phase starts as dashed lines: the same on every time chart. */
function overlays(s: ReportSeries, faults: Window[] = s.faults): object {
  return {
    markArea: {
      silent: true,
      itemStyle: { color: 'rgba(198, 40, 40, 0.10)' },
      label: { color: COLORS.fault, fontSize: 10, position: 'insideTopLeft' },
      // Each label at its window's start, one below the other: windows often start a second apart.
      data: faults.map((w, i) => [
        { xAxis: secs(w.from), name: w.label, label: { offset: [2, 12 * (i % 4)] } },
        { xAxis: secs(Math.max(w.to, w.from + 50)) },
      ]),
    },
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { type: 'dashed', color: COLORS.muted, width: 1 },
      label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color: '#616161' },
      data: s.phases.map((p) => ({ xAxis: secs(p.from), name: p.label })),
    },
  };
}

const grid = { left: 80, right: 30, top: 40, bottom: 44 };
const legend = { top: 4, right: 20, itemGap: 22, textStyle: { fontSize: 11 } };

/** Writes answered per second, by outcome, stacked. */
export function throughputChart(s: ReportSeries): string {
  const perSec = 1000 / s.bucketMs;
  const bar = (key: 'ok' | 'unknown' | 'fail', name: string): object => ({
    name,
    type: 'bar',
    stack: 'w',
    barWidth: '80%',
    barCategoryGap: '10%',
    color: COLORS[key],
    data: s.throughput.filter((b) => b.at >= s.startMs).map((b) => [secs(b.at + s.bucketMs / 2), +(b[key] * perSec).toFixed(2)]),
  });
  const series = [bar('ok', 'acknowledged'), bar('unknown', 'unknown outcome'), bar('fail', 'failed')];
  Object.assign(series[0]!, overlays(s));
  return renderSvg(
    {
      title: { text: `Write throughput (writes/s answered, ${s.bucketMs} ms buckets)`, left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: { type: 'value', name: 'writes/s', nameLocation: 'middle', nameGap: 50, nameTextStyle: { fontSize: 11 } },
      series,
    },
    240,
  );
}

/** Every write's latency (call to answer) at its call time, log scale, by outcome. */
export function latencyChart(s: ReportSeries): string {
  const scatter = (key: 'ok' | 'unknown' | 'fail', name: string): object => ({
    name,
    type: 'scatter',
    symbolSize: key === 'ok' ? 3 : 6,
    color: COLORS[key],
    data: s.latency.filter((p) => p.outcome === key).map((p) => [secs(p.at), +p.latencyMs.toFixed(1)]),
  });
  const series = [scatter('ok', 'acknowledged'), scatter('unknown', 'unknown outcome'), scatter('fail', 'failed')];
  Object.assign(series[0]!, overlays(s));
  return renderSvg(
    {
      title: { text: 'Write latency (ms, log scale; each dot one write)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: { type: 'log', name: 'ms', min: 0.1, nameLocation: 'middle', nameGap: 50, nameTextStyle: { fontSize: 11 } },
      series,
    },
    240,
  );
}

/** Who leads (the agreed leader, step line) and which members did not answer (grey squares). */
export function leaderChart(s: ReportSeries): string {
  const rows = [...s.members, '(none)'];
  const points: Array<[number, string]> = [];
  for (const l of s.leader) {
    if (points.length) points.push([secs(l.at), points[points.length - 1]![1]]);
    points.push([secs(l.at), l.leader ?? '(none)']);
  }
  if (points.length) points.push([secs(s.endMs), points[points.length - 1]![1]]);
  const down = s.samples.flatMap((x) => x.members.filter((m) => !m.up).map((m) => [secs(x.at), m.name]));
  const leaderSeries = {
    name: 'agreed leader',
    type: 'line',
    color: COLORS.accent,
    symbol: 'none',
    lineStyle: { width: 3 },
    data: points,
    ...overlays(s),
  };
  return renderSvg(
    {
      title: { text: 'Leader over time, and members not answering', left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: { type: 'category', data: rows, inverse: true },
      series: [
        leaderSeries,
        { name: 'not answering', type: 'scatter', symbol: 'rect', symbolSize: [5, 10], color: COLORS.muted, data: down },
      ],
    },
    60 + rows.length * 30,
  );
}

/**
 * What each member itself says over time, one row per member: the colour of the leader it names
 * (its own colour when it leads), light grey when it names none, dark grey when it did not answer.
 * Shows split views the agreed leader hides (a survivor still naming a dead leader).
 */
export function memberViewChart(s: ReportSeries): string {
  const plotPx = CHART_WIDTH - grid.left - grid.right;
  const t = ticks(s);
  const pxPerMs = plotPx / Math.max(1, (t.max - t.min) * 1000);
  const cells = s.samples.map((x, i) => {
    const next = s.samples[i + 1]?.at ?? Math.min(s.endMs, x.at + 500);
    return { x: secs((x.at + next) / 2), w: Math.max(2, (next - x.at) * pxPerMs), members: x.members };
  });
  const state = (m: { up: boolean; leader?: string }): string =>
    !m.up ? 'not answering' : m.leader ? `names ${m.leader}` : 'names no leader';
  const states = [...new Set(cells.flatMap((c) => c.members.map(state)))].sort();
  const colour = (st: string): string => {
    if (st === 'not answering') return '#616161';
    if (st === 'names no leader') return '#e0e0e0';
    const i = s.members.indexOf(st.slice('names '.length));
    return MEMBER_COLORS[(i < 0 ? 0 : i) % MEMBER_COLORS.length]!;
  };
  const series: object[] = states.map((st) => ({
    name: st,
    type: 'scatter',
    symbol: 'rect',
    color: colour(st),
    data: cells.flatMap((c) =>
      c.members.filter((m) => state(m) === st).map((m) => ({ value: [c.x, m.name], symbolSize: [c.w + 0.5, 16] })),
    ),
  }));
  if (series[0]) Object.assign(series[0], overlays(s));
  return renderSvg(
    {
      title: { text: 'Whom each member names as leader (its own status answer)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: { type: 'category', data: s.members, inverse: true },
      series,
    },
    70 + s.members.length * 26,
  );
}

/** Each member's raft term as it reported it; from leader changes when no samples were recorded. */
export function termChart(s: ReportSeries): string {
  const series: object[] = s.members.map((name, i) => ({
    name,
    type: 'line',
    step: 'end',
    symbol: 'none',
    color: MEMBER_COLORS[i % MEMBER_COLORS.length],
    // Members usually share a term: the first drawn thickest, so every line stays visible.
    lineStyle: { width: Math.max(1, 2 * (s.members.length - i)), opacity: 0.85 },
    connectNulls: false,
    data: s.samples.map((x) => {
      const m = x.members.find((y) => y.name === name);
      return [secs(x.at), m?.up && m.term !== undefined ? m.term : null];
    }),
  }));
  if (s.samples.length === 0)
    series.push({
      name: 'term at leader change',
      type: 'line',
      step: 'end',
      color: COLORS.accent,
      data: s.leader.filter((l) => l.term > 0).map((l) => [secs(l.at), l.term]),
    });
  Object.assign(series[0] ?? {}, overlays(s));
  return renderSvg(
    {
      title: { text: 'Raft term per member (gaps: the member did not answer)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: {
        type: 'value',
        name: 'term',
        minInterval: 1,
        scale: true,
        nameLocation: 'middle',
        nameGap: 50,
        nameTextStyle: { fontSize: 11 },
      },
      series,
    },
    220,
  );
}

const MiB = 1024 * 1024;

/** Acknowledged bytes written so far: the report shortens long values to `…(N bytes)`, N is kept. */
function writtenBytes(report: RunReport): Array<[number, number]> {
  let total = 0;
  const out: Array<[number, number]> = [[0, 0]];
  for (const o of [...report.writes.ops].sort((a, b) => a.ret - b.ret)) {
    if (o.outcome !== 'ok') continue;
    const n = /\((\d+) bytes\)$/.exec(o.value);
    total += n ? Number(n[1]) : o.value.length;
    out.push([secs(o.ret), +(total / MiB).toFixed(3)]);
  }
  return out;
}

/** Each member's backend size (endpoint status dbSize), with the bytes acknowledged so far and NOSPACE shaded. */
export function dbSizeChart(s: ReportSeries, report: RunReport): string {
  const series: object[] = s.members.map((name, i) => ({
    name,
    type: 'line',
    symbol: 'circle',
    symbolSize: 4,
    color: MEMBER_COLORS[i % MEMBER_COLORS.length],
    data: s.samples.map((x) => {
      const m = x.members.find((y) => y.name === name);
      return [secs(x.at), m?.up && m.dbSize !== undefined ? +(m.dbSize / MiB).toFixed(3) : null];
    }),
  }));
  series.push({
    name: 'bytes acknowledged (cumulative)',
    type: 'line',
    step: 'end',
    symbol: 'none',
    color: COLORS.muted,
    lineStyle: { type: 'dashed' },
    data: writtenBytes(report),
  });
  const sizes = report.events.flatMap((e) =>
    e.type === 'metric' && e.unit === 'bytes' ? [[secs(e.at), +(e.value / MiB).toFixed(3), e.name]] : [],
  );
  series.push({
    name: 'measured by a step',
    type: 'scatter',
    symbol: 'diamond',
    symbolSize: 10,
    color: COLORS.unknown,
    label: { show: true, formatter: (p: { data: unknown[] }) => String(p.data[2]), position: 'bottom', fontSize: 10 },
    data: sizes,
  });
  // NOSPACE raised: from a sample where a member reports the alarm to the first one where none does.
  const nospace: Window[] = [];
  let from: number | undefined;
  for (const x of s.samples) {
    const on = x.members.some((m) => m.errors?.some((e) => /NOSPACE/.test(e)));
    if (on && from === undefined) from = x.at;
    if (!on && from !== undefined) {
      nospace.push({ from, to: x.at, label: 'NOSPACE alarm' });
      from = undefined;
    }
  }
  if (from !== undefined) nospace.push({ from, to: s.endMs, label: 'NOSPACE alarm' });
  Object.assign(series[0] ?? {}, overlays(s, [...s.faults, ...nospace]));
  return renderSvg(
    {
      title: { text: 'Backend db size per member (MiB)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend,
      grid,
      xAxis: timeAxis(s),
      yAxis: { type: 'value', name: 'MiB', nameLocation: 'middle', nameGap: 50, nameTextStyle: { fontSize: 11 } },
      series,
    },
    240,
  );
}

/** Every step as a bar from its start to its end, coloured by phase (a Gantt chart of the run). */
export function stepsChart(report: RunReport, s: ReportSeries): string {
  const steps = report.steps;
  const label = (i: number): string => {
    const n = `${i + 1}. ${steps[i]!.name}`;
    return n.length > 60 ? `${n.slice(0, 58)}…` : n;
  };
  const names = steps.map((_, i) => label(i));
  return renderSvg(
    {
      title: { text: 'Steps (bar: start to end; red outline: the step threw)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      grid: { left: 380, right: 30, top: 34, bottom: 44 },
      xAxis: timeAxis(s),
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 10, width: 360, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          stack: 'g',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: steps.map((x) => secs(x.startedAt)),
          ...overlays(s),
        },
        {
          type: 'bar',
          stack: 'g',
          barWidth: 10,
          data: steps.map((x) => ({
            value: Math.max(0.02, secs(x.durationMs)),
            itemStyle: {
              color: PHASE_COLORS[x.phase] ?? COLORS.muted,
              borderColor: x.error ? COLORS.fail : undefined,
              borderWidth: x.error ? 2 : 0,
            },
          })),
        },
      ],
    },
    80 + steps.length * 20,
  );
}

/** One value per run over time (index page trends): a line per series name. */
export function trendChart(title: string, lines: Array<{ name: string; points: Array<[string, number]> }>, unit: string): string {
  // The legend wraps (about 4 entries a row at this width): the plot starts below it.
  const legendRows = Math.ceil(lines.length / 4);
  return renderSvg(
    {
      title: { text: title, left: 10, top: 4, textStyle: { fontSize: 13 } },
      legend: { ...legend, top: 26, left: 10, right: 10 },
      grid: { ...grid, top: 40 + legendRows * 22 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: unit, nameLocation: 'middle', nameGap: 50, nameTextStyle: { fontSize: 11 } },
      series: lines.map((l, i) => ({
        name: l.name,
        type: 'line',
        symbolSize: 6,
        color: MEMBER_COLORS[i % MEMBER_COLORS.length],
        data: l.points.map(([t, v]) => [t, v]),
      })),
    },
    220 + legendRows * 22,
  );
}

/** A history piece as the checker draws it: one lane per client, one bar per operation. */
export interface PieceOp {
  id?: number;
  client: string;
  call: number;
  /** null: never returned */
  ret: number | null;
  label?: string;
  outcome?: string;
}

/** The operations of a (non-linearizable) piece of history on client lanes: a bar from call to return, open-ended when it never returned. */
export function pieceChart(ops: PieceOp[]): string {
  const clients = [...new Set(ops.map((o) => o.client))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const finite = ops.flatMap((o) => [o.call, ...(o.ret === null ? [] : [o.ret])]);
  const min = Math.min(...finite);
  const max = Math.max(...finite, min + 1);
  const end = max + (max - min) * 0.08;
  const colour = (o: PieceOp): string =>
    o.outcome === 'ok' || o.outcome === undefined ? COLORS.accent : o.outcome === 'pending' ? COLORS.muted : COLORS.unknown;
  type Api = { value(i: number): number; coord(v: number[]): number[]; size(v: number[]): number[] };
  return renderSvg(
    {
      title: { text: 'Piece of history (bar: call to return; open end: never returned)', left: 10, top: 4, textStyle: { fontSize: 13 } },
      grid: { left: 90, right: 30, top: 34, bottom: 40 },
      xAxis: { type: 'value', min, max: end, name: 'time', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'category', data: clients, inverse: true },
      series: [
        {
          type: 'custom',
          renderItem: (params: { dataIndex: number }, api: Api) => {
            const lane = api.value(0);
            const [x0, y] = api.coord([api.value(1), lane]) as [number, number];
            const [x1] = api.coord([api.value(2), lane]) as [number, number];
            const h = (api.size([0, 1]) as [number, number])[1] * 0.55;
            const o = ops[params.dataIndex]!;
            const text = `${o.id !== undefined ? `#${o.id} ` : ''}${o.label ?? ''}`.slice(0, 60);
            return {
              type: 'group',
              children: [
                {
                  type: 'rect',
                  shape: { x: x0, y: y - h / 2, width: Math.max(2, x1 - x0), height: h },
                  style: { fill: colour(o), opacity: o.ret === null ? 0.45 : 1 },
                },
                { type: 'text', style: { text, x: x0 + 4, y: y - h / 2 - 2, fill: '#212121', fontSize: 11, verticalAlign: 'bottom' } },
              ],
            };
          },
          encode: { x: [1, 2], y: 0 },
          data: ops.map((o) => [clients.indexOf(o.client), o.call, o.ret ?? end]),
        },
      ],
    },
    80 + clients.length * 44,
  );
}
