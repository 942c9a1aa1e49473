// Line charts with uPlot (vendor/uplot, see its LICENSE): small, no
// dependencies, draws thousands of points on a canvas.

import uPlot from '../vendor/uplot/uPlot.esm.js';

const COLORS = ['#2563eb', '#d97706', '#059669'];

// lineChart draws series over unix-second times into el, sized to el's width.
export function lineChart(el, times, series, decimals) {
  if (!el) return null;
  const width = Math.max(280, Math.floor(el.clientWidth || 600));
  const opts = {
    width,
    height: 220,
    // Times are shown in UTC like everywhere else on the pages.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    axes: [{}, { size: 70, values: (u, vals) => vals.map((v) => v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })) }],
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        value: (u, v) => (v == null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })),
      })),
    ],
  };
  return new uPlot(opts, [times, ...series.map((s) => s.values)], el);
}
