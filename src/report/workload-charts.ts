import { COLORS, grid, legend, MEMBER_COLORS, overlays, renderSvg, secs, timeAxis } from './chart-frame.js';
import type { ReportSeries, Window } from './report-series.js';
import type { RunReport } from './run-report.js';

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
