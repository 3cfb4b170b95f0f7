/**
 * How much int8 weights change a model's answers: the float32 model and its int8 artifact (read
 * back as the Worker reads it, dequantized) run on the same seeded random inputs, and the largest
 * absolute difference of any float output and the agreement of arg-max labels (per row, over the
 * first float output) are reported. Models with a variable batch dimension run all samples as one batch.
 */
import { readArtifact } from '../../worker/runtime/artifact';
import type { Model } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';

export interface Int8Accuracy {
  /** float32 initializers stored as int8 */
  readonly quantizedTensors: number;
  /** the generated inputs compared; 0 when the model's inputs cannot be generated (then the figures are undefined) */
  readonly samples: number;
  readonly maxAbsDiff?: number;
  /** share of samples whose arg-max label is the same, 0..1 */
  readonly argmaxAgreement?: number;
}

export const ACCURACY_SAMPLES = 64;

/** A small seeded generator (mulberry32), so every synth compares the same inputs. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function measureInt8Accuracy(float32: Model, int8Artifact: Uint8Array, quantizedTensors: number, samples = ACCURACY_SAMPLES): Int8Accuracy {
  const inputs = float32.graph.inputs;
  if (inputs.some((v) => v.dtype !== 'float32' || v.shape === null)) return { quantizedTensors, samples: 0 };
  const reference = InferenceSession.create(float32, { kernels: allKernels });
  const quantized = InferenceSession.create(readArtifact(int8Artifact), { kernels: allKernels });
  const random = seeded(0x5eed);
  // One batch of `samples` rows when every input's first dimension is variable, else one run per sample.
  const batched = inputs.every((v) => v.shape!.length > 0 && typeof v.shape![0] !== 'number');
  const rowsPerRun = batched ? samples : 1;
  let maxAbsDiff = 0;
  let agree = 0;
  for (let done = 0; done < samples; done += rowsPerRun) {
    const feeds: Record<string, Tensor> = {};
    for (const v of inputs) {
      const shape = v.shape!.map((d, i) => (typeof d === 'number' ? d : i === 0 ? rowsPerRun : 1));
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = random() * 2 - 1;
      feeds[v.name] = new Tensor('float32', shape, data);
    }
    const a = reference.run(feeds);
    const b = quantized.run(feeds);
    let labelled = false;
    for (const name of Object.keys(a)) {
      if (a[name].dtype !== 'float32') continue;
      const x = a[name].data as Float32Array;
      const y = b[name].data as Float32Array;
      for (let i = 0; i < x.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x[i] - y[i]));
      if (!labelled) {
        labelled = true;
        const width = x.length / rowsPerRun;
        for (let r = 0; r < rowsPerRun; r++) if (argmax(x.subarray(r * width, (r + 1) * width)) === argmax(y.subarray(r * width, (r + 1) * width))) agree++;
      }
    }
  }
  return { quantizedTensors, samples, maxAbsDiff, argmaxAgreement: agree / samples };
}

function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}
