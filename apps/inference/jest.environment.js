// Opt-in per test file with a `@jest-environment ./jest.environment.js` docblock.
// onnxruntime-node creates output tensors from the main Node realm, while jest runs tests in
// a separate realm whose Float32Array is a different constructor: onnxruntime-common's
// `instanceof Float32Array` check then fails. Share the main realm's typed arrays (and
// Buffer's ArrayBuffer) with the test realm.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxFriendlyEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxFriendlyEnvironment;
