/**
 * For an op this runtime does not implement, how to export the model without it, when a
 * converter or exporter option is known to avoid it. `model-edge check` prints these next to the
 * unsupported ops. Exact ops first, then whole domains (a domain prefix ends in '.').
 */

const ONNXRUNTIME_OPTIMIZER =
  "an onnxruntime contrib op, written by onnxruntime's transformer optimizer (optimize_model), its quantizer or a session's saved optimized model: " +
  'deploy the model as exported, before optimization (or optimize with opt_level=0), and quantize with ' +
  'quantize_static(..., quant_format=QuantFormat.QDQ) or quantize_dynamic(..., op_types_to_quantize=["MatMul"]), which use standard ops';

const SAVED_SESSION_OPTIMIZATION =
  'written when an onnxruntime session saves its optimized graph (SessionOptions.optimized_model_filepath) at the extended or all level: ' +
  'deploy the original export, or save with graph_optimization_level=ORT_ENABLE_BASIC';

const TRACE_INSTEAD_OF_SCRIPT =
  'torch.onnx.export of a torch.jit.script model keeps Python lists and Optionals as sequence/optional values: ' +
  'export the nn.Module itself (traced, no torch.jit.script) so that they unroll into plain tensors';

const EXPORT_FOR_INFERENCE =
  'the model was exported for training: call model.eval() and export with torch.onnx.export(..., training=torch.onnx.TrainingMode.EVAL)';

const DYNAMIC_QUANTIZATION =
  'quantize_dynamic quantizes this op by default: pass op_types_to_quantize=["MatMul"] (MatMulInteger with DynamicQuantizeLinear), ' +
  'or quantize with quant_format=QuantFormat.QDQ';

const BY_OP: Readonly<Record<string, string>> = {
  'ai.onnx.ml.ZipMap':
    "skl2onnx appends ZipMap to classifiers' probabilities: convert with options={id(model): {'zipmap': False}} " +
    "(to_onnx(model, X, options={'zipmap': False}) for a single estimator) to get a plain probability tensor",
  'ai.onnx.ml.DictVectorizer': 'skl2onnx converts DictVectorizer on map inputs: vectorize the features before the model and convert the estimator alone (a float tensor input)',
  'ai.onnx.ml.CastMap': 'skl2onnx uses CastMap on map inputs: vectorize the features before the model and convert the estimator alone (a float tensor input)',
  'com.microsoft.CDist': "skl2onnx emits CDist when converted with options={id(model): {'optim': 'cdist'}}: convert without that option",
  'com.microsoft.QAttention': DYNAMIC_QUANTIZATION,
  'com.microsoft.QEmbedLayerNormalization': DYNAMIC_QUANTIZATION,
  'com.microsoft.QGemm': DYNAMIC_QUANTIZATION,
  'com.microsoft.DynamicQuantizeLSTM': DYNAMIC_QUANTIZATION,
  'com.microsoft.FusedGemm': SAVED_SESSION_OPTIMIZATION,
  'com.microsoft.NhwcConv': SAVED_SESSION_OPTIMIZATION,
  'com.microsoft.GroupQueryAttention':
    "written by onnxruntime-genai's model builder for decoders with a KV cache: export with torch.onnx.export or optimum instead (MultiHeadAttention or plain ops)",
  SequenceAt: TRACE_INSTEAD_OF_SCRIPT,
  SequenceConstruct: TRACE_INSTEAD_OF_SCRIPT,
  SequenceEmpty: TRACE_INSTEAD_OF_SCRIPT,
  SequenceInsert: TRACE_INSTEAD_OF_SCRIPT,
  SequenceErase: TRACE_INSTEAD_OF_SCRIPT,
  SequenceLength: TRACE_INSTEAD_OF_SCRIPT,
  SplitToSequence: TRACE_INSTEAD_OF_SCRIPT,
  ConcatFromSequence: TRACE_INSTEAD_OF_SCRIPT,
  Optional: TRACE_INSTEAD_OF_SCRIPT,
  OptionalHasElement: TRACE_INSTEAD_OF_SCRIPT,
  OptionalGetElement: TRACE_INSTEAD_OF_SCRIPT,
  RandomNormal: EXPORT_FOR_INFERENCE,
  RandomNormalLike: EXPORT_FOR_INFERENCE,
  RandomUniform: EXPORT_FOR_INFERENCE,
  RandomUniformLike: EXPORT_FOR_INFERENCE,
  Bernoulli: EXPORT_FOR_INFERENCE,
  DFT: 'torch.stft and torchaudio transforms export as DFT/STFT: compute the spectrogram before the model and export the network after the feature extractor',
  STFT: 'torch.stft and torchaudio transforms export as DFT/STFT: compute the spectrogram before the model and export the network after the feature extractor',
  MelWeightMatrix: 'torchaudio MelSpectrogram exports as STFT + MelWeightMatrix: compute the features before the model and export the network alone',
};

const BY_DOMAIN: ReadonlyArray<readonly [string, string]> = [
  ['com.microsoft.nchwc', SAVED_SESSION_OPTIMIZATION],
  ['com.microsoft', ONNXRUNTIME_OPTIMIZER],
  [
    'org.pytorch.aten',
    'torch.onnx.export fell back to ATen ops: export with operator_export_type=torch.onnx.OperatorExportTypes.ONNX (the default) and a recent opset_version (17 or later)',
  ],
  ['ai.onnx.preview.training', EXPORT_FOR_INFERENCE],
  [
    'pkg.onnxscript.',
    'torch.onnx.export(..., dynamo=True) kept onnxscript functions: export with dynamo=False, or inline the functions (onnx.inliner.inline_local_functions) before deploying',
  ],
];

/** The exporter option that avoids `op` of `domain` ('' for ai.onnx), when one is known. */
export function exporterHint(domain: string, op: string): string | undefined {
  const d = domain === 'ai.onnx' ? '' : domain;
  const exact = BY_OP[d ? `${d}.${op}` : op];
  if (exact) return exact;
  for (const [prefix, hint] of BY_DOMAIN) {
    if (prefix.endsWith('.') ? d.startsWith(prefix) : d === prefix) return hint;
  }
  return undefined;
}
