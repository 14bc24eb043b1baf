import { CHART_WIDTH, COLORS, grid, legend, MEMBER_COLORS, overlays, renderSvg, secs, ticks, timeAxis } from './chart-frame.js';
import type { ReportSeries } from './report-series.js';

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
