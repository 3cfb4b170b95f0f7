/**
 * A jest environment for tests that call onnxruntime-node. Jest runs tests in a separate realm,
 * so typed arrays created there fail onnxruntime's `instanceof Float32Array` checks (and the
 * arrays onnxruntime's native code returns fail them the other way). Sharing the host realm's
 * typed-array constructors makes both sides agree. Use with:
 *   /** @jest-environment ./__tests__/support/ort-environment.js *\/
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
