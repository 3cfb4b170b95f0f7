/** What GET /v2 reports about the server. Kept equal to package.json's version by a test. */
export const SERVER_NAME = 'model-edge';
export const SERVER_VERSION = '0.1.0';
