/** The benchmark's statistics, output comparison and report helpers. */
import { outputsDiff } from '../../bench/lib/engines';
import { parseSynthOutput } from '../../bench/lib/synth-part';
import { maxAbsDiff, median, quantile } from '../../bench/lib/stats';
import { ms, ratio, renderTable } from '../../bench/lib/table';

describe('stats', () => {
  it('takes medians and quantiles by interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9);
    expect(median([])).toBeNaN();
  });

  it('reports the largest absolute difference, and Infinity for different lengths', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1], [1, 2])).toBe(Infinity);
  });
});

describe('outputsDiff', () => {
  it('compares the outputs both sides give and names mismatches', () => {
    const d = outputsDiff(
      { y: { kind: 'numbers', values: [1, 2] }, label: { kind: 'strings', values: ['a', 'b'] }, extra: { kind: 'numbers', values: [0] } },
      { y: { kind: 'numbers', values: [1, 2.25] }, label: { kind: 'strings', values: ['a', 'c'] } },
    );
    expect(d.maxAbs).toBe(0.25);
    expect(d.compared).toEqual(['y', 'label']);
    expect(d.problems).toEqual(['label: 1 of 2 strings differ']);
  });

  it('flags NaN against a number and outputs with nothing in common', () => {
    expect(outputsDiff({ y: { kind: 'numbers', values: [NaN] } }, { y: { kind: 'numbers', values: [1] } }).problems).toHaveLength(1);
    expect(outputsDiff({ y: { kind: 'numbers', values: [1] } }, { z: { kind: 'numbers', values: [1] } }).problems).toEqual(['no output in common']);
  });
});

describe('tables', () => {
  it('renders markdown with a title, header rule and notes', () => {
    const text = renderTable({ title: 'T', headers: ['a', 'b'], rows: [['1', '2']], notes: ['n'] });
    expect(text).toBe('### T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nn');
  });

  it('formats figures and marks missing ones n/a', () => {
    expect(ms(0.036214)).toBe('0.0362 ms');
    expect(ms(312.4)).toBe('312 ms');
    expect(ms(NaN)).toBe('n/a');
    expect(ratio(1.234)).toBe('1.23x');
    expect(ratio(Infinity)).toBe('n/a');
  });

  it("takes the synthesis script's table and keeps its other lines as notes", () => {
    const t = parseSynthOutput('esbuild Worker bundle (once per process): 50 ms\n| models | first | median |\n|---|---|---|\n| 1 | 400 ms | 300 ms |\n');
    expect(t.headers).toEqual(['models', 'first', 'median']);
    expect(t.rows).toEqual([['1', '400 ms', '300 ms']]);
    expect(t.notes?.[0]).toMatch(/esbuild/);
    expect(() => parseSynthOutput('nothing')).toThrow(/no table/);
  });
});
