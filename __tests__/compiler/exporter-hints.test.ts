/** The exporter hints `model-edge check` prints for unsupported ops. */
import { checkReport } from '../../lib/cli/check';
import { exporterHint } from '../../lib/model-compiler/exporter-hints';
import { DT, modelBytes, node, valueInfo } from './onnx-builder';

describe('exporterHint', () => {
  it('names the converter option for ops that have one', () => {
    expect(exporterHint('ai.onnx.ml', 'ZipMap')).toContain("'zipmap': False");
    expect(exporterHint('com.microsoft', 'CDist')).toContain("'optim': 'cdist'");
    expect(exporterHint('', 'SequenceConstruct')).toMatch(/torch\.jit\.script/);
    expect(exporterHint('ai.onnx', 'RandomNormal')).toContain('TrainingMode.EVAL');
  });

  it('falls back to the domain: any other contrib op comes from onnxruntime tooling', () => {
    expect(exporterHint('com.microsoft', 'SomeFutureFusedOp')).toMatch(/transformer optimizer/);
    expect(exporterHint('com.microsoft.nchwc', 'ReorderInput')).toMatch(/ORT_ENABLE_BASIC/);
    expect(exporterHint('pkg.onnxscript.torch_lib', 'aten_gelu')).toMatch(/dynamo=False/);
    expect(exporterHint('org.pytorch.aten', 'ATen')).toMatch(/OperatorExportTypes\.ONNX/);
  });

  it('says nothing for ops without a known option', () => {
    expect(exporterHint('', 'Foo')).toBeUndefined();
    expect(exporterHint('ai.onnx.ml', 'Foo')).toBeUndefined();
    expect(exporterHint('com.microsoftx', 'Foo')).toBeUndefined();
  });
});

describe('model-edge check', () => {
  it('lists the exporter option next to each unsupported op that has one, once per op', () => {
    const bytes = modelBytes(
      {
        inputs: [valueInfo('x', DT.FLOAT, [2, 4])],
        outputs: [valueInfo('y', DT.FLOAT)],
        nodes: [
          node('GroupQueryAttention', ['x'], ['a'], [], { domain: 'com.microsoft', name: 'g1' }),
          node('GroupQueryAttention', ['a'], ['b'], [], { domain: 'com.microsoft', name: 'g2' }),
          node('Foo', ['b'], ['c'], [], { name: 'f' }),
          node('RandomNormalLike', ['c'], ['y'], [], { name: 'r' }),
        ],
      },
      [['', 17], ['com.microsoft', 1]],
    );
    const report = checkReport(bytes, 'decoder.onnx');
    expect(report.ok).toBe(false);
    const hints = report.text.split('How to export without them:\n')[1]?.split('\n\n')[0] ?? '';
    expect(hints.split('\n')).toEqual([
      expect.stringMatching(/^ {2}com\.microsoft\.GroupQueryAttention: .*onnxruntime-genai/),
      expect.stringMatching(/^ {2}RandomNormalLike: .*TrainingMode\.EVAL/),
    ]);
  });

  it('prints no hint section when no unsupported op has a known option', () => {
    const bytes = modelBytes({ inputs: [valueInfo('x', DT.FLOAT, [1])], outputs: [valueInfo('y', DT.FLOAT)], nodes: [node('Foo', ['x'], ['y'])] });
    expect(checkReport(bytes, 'm.onnx').text).not.toContain('How to export without them');
  });
});
