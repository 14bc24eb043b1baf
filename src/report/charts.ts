import { COLORS, grid, legend, MEMBER_COLORS, overlays, PHASE_COLORS, renderSvg, secs, timeAxis } from './chart-frame.js';
import type { ReportSeries } from './report-series.js';
import type { RunReport } from './run-report.js';

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
