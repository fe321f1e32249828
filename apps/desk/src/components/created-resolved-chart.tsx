import 'uplot/dist/uPlot.min.css';
import { onCleanup, onMount } from 'solid-js';
import uPlot from 'uplot';
import type { DashboardSummary } from '../api/queries.ts';

// The 30-day created/resolved chart, drawn by uPlot (a maintained canvas charting library, ~50 KB) and
// loaded only by the dashboard, so the desk's first download stays small. The figure around it (see
// the dashboard page) names it and offers the same numbers as a table.

const GOLD = '#e4b85a';
const GREEN = '#8fe3b0';
const AXIS = '#a9b3cf';
const GRID = 'rgba(169, 179, 207, 0.18)';

/** Created and resolved tickets per day as two lines; resizes with its container. */
export default function CreatedResolvedChart(props: { daily: DashboardSummary['daily'] }) {
  let host: HTMLDivElement | undefined;
  let chart: uPlot | undefined;

  onMount(() => {
    if (!host) return;
    const days = props.daily.map((day) => Date.parse(`${day.day}T12:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [
      days,
      props.daily.map((day) => day.created),
      props.daily.map((day) => day.resolved),
    ];
    const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(280, host.clientWidth),
      height: 240,
      scales: {
        x: { time: true },
        y: { range: (_chart, _min, max) => [0, Math.max(4, Math.ceil(max * 1.2))] },
      },
      axes: [
        { ...axis, values: (_chart, ticks) => ticks.map((tick) => shortDate(tick)) },
        {
          ...axis,
          values: (_chart, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? String(tick) : '')),
        },
      ],
      series: [
        { value: (_chart, value) => (value == null ? '' : shortDate(value)) },
        {
          label: 'Created',
          stroke: GOLD,
          width: 2,
          fill: 'rgba(228, 184, 90, 0.12)',
          points: { show: false },
        },
        { label: 'Resolved', stroke: GREEN, width: 2, dash: [6, 4], points: { show: false } },
      ],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    chart = new uPlot(options, data, host);
    const observer = new ResizeObserver(() => {
      if (host && chart) chart.setSize({ width: Math.max(280, host.clientWidth), height: 240 });
    });
    observer.observe(host);
    onCleanup(() => {
      observer.disconnect();
      chart?.destroy();
    });
  });

  return <div ref={host} class="desk-chart" aria-hidden="true" />;
}

function shortDate(seconds: number): string {
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(seconds * 1000),
  );
}
