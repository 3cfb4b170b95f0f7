/** The tensor and array types kernels of every family name. */
import type { Tensor } from '../../tensor';

/** A float tensor: float32 (float16 arrives as float32) or float64. */
export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;

/** The data of a FloatTensor. */
export type Floats = Float32Array | Float64Array;
