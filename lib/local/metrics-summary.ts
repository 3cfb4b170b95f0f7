/**
 * The summary `model-edge serve --metrics <file>` prints on exit: per model and version, the number
 * of requests, how many were errors (status >= 500) or refused (4xx), and p50/p99 of the total time,
 * read from the data points in the metrics file (the layout of worker/http/metrics.ts).
 */
import { readFileSync } from 'fs';
import { METRICS_BLOBS, METRICS_DOUBLES } from '../../worker/http/metrics';
import type { LocalDataPoint } from './metrics-binding';

const BLOB = (name: (typeof METRICS_BLOBS)[number]) => METRICS_BLOBS.indexOf(name);
const DOUBLE = (name: (typeof METRICS_DOUBLES)[number]) => METRICS_DOUBLES.indexOf(name);

export interface MetricsGroup {
  readonly model: string;
  readonly version: string;
  readonly count: number;
  /** answers with status 400-499 */
  readonly clientErrors: number;
  /** answers with status >= 500 */
  readonly serverErrors: number;
  /** total ms, nearest-rank percentiles */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The data points of a metrics file; lines that are not data points are skipped. */
export function readMetricsFile(file: string): LocalDataPoint[] {
  const points: LocalDataPoint[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const p = JSON.parse(line) as LocalDataPoint;
      if (Array.isArray(p.blobs) && Array.isArray(p.doubles)) points.push(p);
    } catch {
      // a line cut by an interrupted write: not a data point
    }
  }
  return points;
}

/** Groups by model and version (requests without a model, such as the server's own routes, are left out). */
export function summarizeMetrics(points: readonly LocalDataPoint[]): MetricsGroup[] {
  const groups = new Map<string, { model: string; version: string; totals: number[]; clientErrors: number; serverErrors: number }>();
  for (const p of points) {
    const model = p.blobs[BLOB('model')] ?? '';
    if (model === '') continue;
    const version = p.blobs[BLOB('version')] ?? '';
    const key = `${model}\n${version}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { model, version, totals: [], clientErrors: 0, serverErrors: 0 }));
    const status = p.doubles[DOUBLE('status')] ?? 0;
    if (status >= 500) g.serverErrors++;
    else if (status >= 400) g.clientErrors++;
    g.totals.push(p.doubles[DOUBLE('totalMs')] ?? 0);
  }
  return [...groups.values()]
    .sort((a, b) => (a.model === b.model ? a.version.localeCompare(b.version) : a.model.localeCompare(b.model)))
    .map((g) => {
      const sorted = g.totals.sort((a, b) => a - b);
      return { model: g.model, version: g.version, count: sorted.length, clientErrors: g.clientErrors, serverErrors: g.serverErrors, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
    });
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The lines printed on exit. */
export function formatMetricsSummary(file: string, groups: readonly MetricsGroup[]): string[] {
  if (groups.length === 0) return [`Metrics (${file}): no model requests`];
  const rows = groups.map((g) => [g.model, g.version, String(g.count), String(g.clientErrors), String(g.serverErrors), g.p50Ms.toFixed(3), g.p99Ms.toFixed(3)]);
  const header = ['model', 'version', 'requests', '4xx', '5xx', 'p50 ms', 'p99 ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  return [`Metrics (${file}):`, line(header), ...rows.map(line)];
}
