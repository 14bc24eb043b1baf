import * as echarts from 'echarts';
import type { ReportSeries, Window } from './report-series.js';

/** Colours shared by the charts and the page: verdicts and outcomes read the same everywhere. */
export const COLORS = { ok: '#2e7d32', fail: '#c62828', unknown: '#ef6c00', fault: '#c62828', muted: '#9e9e9e', accent: '#1565c0' };
export const MEMBER_COLORS = ['#1565c0', '#6a1b9a', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#283593'];
export const PHASE_COLORS: Record<string, string> = { prepare: '#78909c', fault: '#c62828', runbook: '#1565c0', checks: '#2e7d32' };

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

/** ms → s with ms precision: the time axes are in seconds. */
export const secs = (ms: number): number => Math.round(ms) / 1000;

/** A tick step giving 6 to 15 ticks, and the axis bounds on multiples of it. */
export function ticks(s: ReportSeries): { min: number; max: number; interval: number } {
  const span = Math.max(1, (s.endMs - s.startMs) / 1000);
  const interval = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((i) => span / i <= 15) ?? 600;
  return { min: Math.floor(s.startMs / 1000 / interval) * interval, max: Math.ceil(s.endMs / 1000 / interval) * interval, interval };
}

/** The x axis every time chart shares: seconds since the run started. */
export function timeAxis(s: ReportSeries): object {
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
export function overlays(s: ReportSeries, faults: Window[] = s.faults): object {
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

export const grid = { left: 80, right: 30, top: 40, bottom: 44 };
export const legend = { top: 4, right: 20, itemGap: 22, textStyle: { fontSize: 11 } };
