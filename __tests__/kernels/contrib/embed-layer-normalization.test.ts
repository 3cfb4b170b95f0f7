/** @jest-environment ./__tests__/support/ort-environment.js */
/** EmbedLayerNormalization (com.microsoft) against onnxruntime-node. */
import { Tensor } from '../../../worker/runtime/tensor';
import { embedLayerNormalizationKernel } from '../../../worker/runtime/kernels/contrib/embed-layer-normalization';
import { attr, node } from '../../support/onnx-builder';
import { runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const B = 2;
const S = 5;
const H = 8;
const ids = Tensor.from('int32', [B, S], [1, 7, 3, 3, 0, 9, 2, 4, 6, 8]);
const segments = Tensor.from('int32', [B, S], [0, 0, 1, 1, 1, 0, 1, 0, 1, 1]);
const mask = Tensor.from('int32', [B, S], [1, 1, 1, 0, 0, 1, 0, 1, 1, 0]); // the second row is not a prefix: mask_index counts its 1s
const tables = { word: seeded([10, H]), pos: seeded([S + 2, H]), seg: seeded([2, H]), gamma: seeded([H], 0.5, 1.5), beta: seeded([H]) };

describe('EmbedLayerNormalization matches onnxruntime', () => {
  it('with segments and a mask: output, mask_index and embedding_sum', () =>
    expectMatchesOrt({
      nodes: [node('EmbedLayerNormalization', ['ids', 'segs', 'word', 'pos', 'seg', 'gamma', 'beta', 'mask'], ['Y', 'mask_index', 'sum'], { epsilon: attr.float(1e-5) }, MS)],
      feeds: { ids, segs: segments, mask },
      initializers: tables,
      outputs: [['Y', 'float32'], ['mask_index', 'int32'], ['sum', 'float32']],
    }));

  it('without segments or mask, with position_ids [1, S]', () =>
    expectMatchesOrt({
      nodes: [node('EmbedLayerNormalization', ['ids', '', 'word', 'pos', '', 'gamma', 'beta', '', 'posIds'], ['Y', 'mask_index'], {}, MS)],
      feeds: { ids, posIds: Tensor.from('int32', [1, S], [2, 3, 4, 5, 6]) },
      initializers: tables,
      outputs: [['Y', 'float32'], ['mask_index', 'int32']],
    }));

  it('refuses an id outside the word table by name', () => {
    const bad = Tensor.from('int32', [1, 2], [3, 10]);
    expect(() => runKernel(embedLayerNormalizationKernel, [bad, undefined, tables.word, tables.pos, undefined, tables.gamma, tables.beta])).toThrow(/input_ids index 10 is outside the table's 10 rows/);
  });
});
