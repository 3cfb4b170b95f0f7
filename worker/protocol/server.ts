/** What GET /v2 reports about the server. The version is kept equal to package.json's by a test. */
export const SERVER_NAME = 'model-edge';
export const SERVER_VERSION = '0.1.0';
/** Protocol extensions the server speaks (Triton's binary tensor data extension). */
export const SERVER_EXTENSIONS: readonly string[] = ['binary_tensor_data'];
