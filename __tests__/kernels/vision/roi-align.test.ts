import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { roiAlignKernel } from '../../../worker/runtime/kernels/vision/roi-align';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { decodeTensorProto, importOnnx } from '../../../lib/model-compiler';
import { compareTensors, conformanceDir } from '../../../scripts/conformance';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

// X = 4x4 ramp: X[y][x] = 4y + x
const x = tensor('float32', [1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => i));
const batch0 = tensor('int64', [1], [0]);

describe('RoiAlign', () => {
  it('averages bilinear samples (output_half_pixel, one sample per bin)', () => {
    // roi [0,0]-[2,2] into 2x2 bins, sampling_ratio 1: samples at (0.5,0.5),(0.5,1.5),(1.5,0.5),(1.5,1.5)
    const rois = tensor('float32', [1, 4], [0, 0, 2, 2]);
    const y = run1(roiAlignKernel, [x, rois, batch0], {
      attributes: { output_height: 2, output_width: 2, sampling_ratio: 1, coordinate_transformation_mode: 'output_half_pixel' },
    });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual([2.5, 3.5, 6.5, 7.5]);
  });

  it('half_pixel shifts the roi by half a pixel (the opset 16 default)', () => {
    const rois = tensor('float32', [1, 4], [0.5, 0.5, 2.5, 2.5]);
    const y = run1(roiAlignKernel, [x, rois, batch0], { attributes: { output_height: 2, output_width: 2, sampling_ratio: 1 }, opset: 16 });
    expect(Array.from(y.data as Float32Array)).toEqual([2.5, 3.5, 6.5, 7.5]);
  });

  it('rejects batch indices out of range and bad attributes', () => {
    const rois = tensor('float32', [1, 4], [0, 0, 1, 1]);
    expect(() => run1(roiAlignKernel, [x, rois, tensor('int64', [1], [1])])).toThrow(KernelError);
    expect(() => run1(roiAlignKernel, [x, rois, tensor('int64', [1], [1])])).toThrow(/batch index 1 is out of range/);
    expect(() => parseKernelAttributes(roiAlignKernel, { mode: 'min' })).toThrow(ModelError);
    expect(() => parseKernelAttributes(roiAlignKernel, { output_height: 0 })).toThrow(/must be positive/);
  });

  // onnxruntime cannot load RoiAlign-22, so the conformance runner skips these; check them here.
  const dir = conformanceDir();
  for (const name of ['test_roialign_aligned_false', 'test_roialign_aligned_true', 'test_roialign_mode_max']) {
    const caseDir = path.join(dir, 'node', name);
    it(`matches the ONNX suite's ${name}`, () => {
      const model = importOnnx(readFileSync(path.join(caseDir, 'model.onnx')), { problems: [] });
      const node = model.graph.nodes[0];
      const read = (f: string) => decodeTensorProto(readFileSync(path.join(caseDir, 'test_data_set_0', f)));
      const y = run1(roiAlignKernel, [read('input_0.pb'), read('input_1.pb'), read('input_2.pb')], { attributes: node.attributes, opset: 22 });
      expect(compareTensors(read('output_0.pb'), y)).toBeUndefined();
    });
  }
});
