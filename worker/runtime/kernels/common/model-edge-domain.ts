/** The domain of the ops only the compiler makes (fusions no ONNX file carries), such as ConvChain. */
export const MODEL_EDGE_DOMAIN = 'ai.model-edge';
