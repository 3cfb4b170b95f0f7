/**
 * The ONNX backend conformance suite through the production path. A failure here names the test
 * and why; known failures that no engine could pass are listed in conformance/expected-failures.tsv.
 */
import { opTable, runConformance } from '../../scripts/conformance';

describe('ONNX conformance (node and simple tests, and the light CNN models run)', () => {
  const report = runConformance({ light: 'run' });

  it('runs the tests of every supported op', () => {
    expect(report.passed).toBeGreaterThan(0);
    expect(report.outcomes.filter((o) => o.name.startsWith('light_') && o.status === 'passed').length).toBeGreaterThanOrEqual(9);
    expect(report.passed + report.failed + report.skipped).toBe(report.outcomes.length);
  });

  it('has no failures beyond conformance/expected-failures.tsv', () => {
    const unexpected = report.unexpected.map((o) => `${o.name}: ${o.reason}`);
    expect(unexpected).toEqual([]);
  });

  it('prints a per-op table', () => {
    expect(opTable(report)).toMatch(/^op\s+passed\s+failed\s+skipped/);
  });
});

describe('ONNX conformance with the JavaScript fallback kernels (no WebAssembly)', () => {
  it('has no failures beyond conformance/expected-failures.tsv', () => {
    const report = runConformance({ light: 'none', wasm: false });
    expect(report.unexpected.map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
  });
});

describe('conformance runner', () => {
  it('filters by op and counts tests of unsupported ops as skipped', () => {
    const report = runConformance({ op: 'Relu', light: 'none' });
    expect(report.outcomes.length).toBeGreaterThan(0);
    expect(report.outcomes.every((o) => o.ops.includes('Relu'))).toBe(true);
    const unsupported = runConformance({ test: 'test_adagrad', light: 'none' });
    expect(unsupported.outcomes).toHaveLength(1);
    expect(unsupported.outcomes[0].status).toBe('skipped');
  });
});
