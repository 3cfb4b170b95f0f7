/** Markdown tables and number formatting shared by the console output and BENCHMARKS.md. */

export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** lines printed under the table (how it was measured, targets) */
  readonly notes?: readonly string[];
}

export function renderTable(t: Table): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [`### ${t.title}`, '', line(t.headers), line(t.headers.map(() => '---')), ...t.rows.map(line)];
  if (t.notes?.length) out.push('', ...t.notes);
  return out.join('\n');
}

/** Milliseconds with 3 significant figures (0.0362 ms, 1.25 ms, 312 ms). */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x >= 100) return `${x.toFixed(0)} ms`;
  return `${Number(x.toPrecision(3))} ms`;
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a';
}

export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : 'n/a';
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** "yes" / "NO" for a target check ("n/a" when the figure is missing). */
export function met(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a' : ok ? 'yes' : 'NO';
}
