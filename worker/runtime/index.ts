/** The Worker-side public surface of the inference runtime. */
export { Tensor, MapRowsTensor, sizeOf, roundToFloat16 } from './tensor';
export type { DType, TensorData, DataByDType } from './tensor';
export type { Model, Graph, Node, ValueInfo, Dim, Opsets, ModelMetadata, AttributeValue } from './graph';
export { InferenceSession } from './session';
export { readArtifact, ARTIFACT_MAGIC, ARTIFACT_VERSION } from './artifact';
export { ModelError, InferenceInputError, KernelError } from './errors';
export { findKernel, supportedOps } from './kernels/registry';
