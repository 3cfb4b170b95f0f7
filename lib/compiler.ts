/**
 * The Node entry point for compiling models ("model-edge/compiler"): turn an .onnx file into the
 * artifact the Worker runs, inspect it, and run it locally with the same runtime.
 */
export {
  compileModel,
  compileModelFile,
  importOnnx,
  decodeTensorProto,
  checkModel,
  isSupportedOp,
  ModelCompileError,
} from './model-compiler';
export type { CompiledModel, CompileOptions, CompileStats, CompileBudgetLimits, ImportLimits, ModelSignature, TensorSpec, KServeDatatype } from './model-compiler';
export { readArtifact } from '../worker/runtime/artifact';
/** Installs the WebAssembly SIMD kernels the Worker uses (without them, JavaScript kernels run). */
export { installWasmKernels } from './wasm-module';
export { InferenceSession } from '../worker/runtime/session';
export { Tensor, MapRowsTensor } from '../worker/runtime/tensor';
export { supportedOps } from '../worker/runtime/kernels/registry';
export { ModelError, InferenceInputError, KernelError } from '../worker/runtime/errors';
