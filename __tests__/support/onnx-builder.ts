/** The ONNX model builder for tests; it lives with the example models' export code. */
export * from '../../models/lib/onnx-builder';
