import { main } from '../../lib/cli/main';
import { checkReport } from '../../lib/cli/check';
import { DT, modelBytes, node, reluAddModel, valueInfo } from './onnx-builder';

describe('model-edge check', () => {
  it('prints inputs, outputs, op coverage and size against the Workers limits', () => {
    const report = checkReport(reluAddModel(), 'model.onnx');
    expect(report.ok).toBe(true);
    expect(report.text).toMatch(/Inputs:\n {2}x +FP32 +\[-1, 3\]/);
    expect(report.text).toMatch(/Outputs:\n {2}y +FP32 +\[-1, 3\]/);
    expect(report.text).toMatch(/Relu +1 {2}supported/);
    expect(report.text).toMatch(/gzip\) from .* of ONNX/);
    expect(report.text).toMatch(/fits the Free plan/);
  });

  it('fails listing every unsupported node', () => {
    const bytes = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, [1])],
      outputs: [valueInfo('y', DT.FLOAT)],
      nodes: [node('Foo', ['x'], ['a'], [], { name: 'f1' }), node('Foo', ['a'], ['b'], [], { name: 'f2' }), node('Bar', ['b'], ['y'], [], { name: 'b1' })],
    });
    const report = checkReport(bytes, 'bad.onnx');
    expect(report.ok).toBe(false);
    expect(report.text).toMatch(/Foo +2 {2}UNSUPPORTED/);
    expect(report.text).toMatch(/3 problems/);
    for (const name of ['f1', 'f2', 'b1']) expect(report.text).toContain(`node "${name}"`);
  });

  it('reports a file that is not a model', () => {
    const report = checkReport(new TextEncoder().encode('hello'), 'notes.txt');
    expect(report.ok).toBe(false);
    expect(report.text).toMatch(/error: not a valid ONNX model/);
  });

  it('dispatches commands and rejects unknown ones', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['nope'])).toBe(1);
      expect(errors.mock.calls[0][0]).toMatch(/unknown command "nope"/);
      expect(await main(['check', '--help'])).toBe(0);
      expect(await main(['check'])).toBe(2);
      expect(await main(['check', '/nonexistent.onnx'])).toBe(1);
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });
});
