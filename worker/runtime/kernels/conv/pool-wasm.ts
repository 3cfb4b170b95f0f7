/**
 * MaxPool 2x2 over float32 planes in WebAssembly: the same values as the JavaScript path (see
 * maxPool2x2 in worker/wasm/pool.as.ts), without its data-dependent branches, which on real
 * activations mispredict often enough to cost several times the arithmetic.
 */
import { span } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { Window } from './spatial';

/** Whether maxPoolWasm handles this window: 2-D, 2x2, no dilation or padding, every window inside. */
export function maxPoolWasmSupports(win: Window): boolean {
  if (win.inSize.length !== 2) return false;
  const H = win.inSize[0];
  const W = win.inSize[1];
  const OH = win.outSize[0];
  const OW = win.outSize[1];
  const SH = win.strides[0];
  const SW = win.strides[1];
  return win.kernel[0] === 2 && win.kernel[1] === 2 && win.dilations[0] === 1 && win.dilations[1] === 1 &&
    win.padsBegin[0] === 0 && win.padsBegin[1] === 0 && OH > 0 && OW > 0 && (OH - 1) * SH + 2 <= H && (OW - 1) * SW + 2 <= W;
}

export function maxPoolWasm(wk: WasmKernels, X: Float32Array, Y: Float32Array, channels: number, win: Window): void {
  const H = win.inSize[0];
  const W = win.inSize[1];
  const OH = win.outSize[0];
  const OW = win.outSize[1];
  const inFloats = channels * H * W;
  const outFloats = channels * OH * OW;
  wk.beginCall();
  const xPtr = wk.allocScratch(inFloats);
  const yPtr = wk.allocScratch(outFloats);
  const heap = wk.f32; // after the last allocation
  heap.set(span(X, 0, inFloats), xPtr >> 2);
  wk.exports.maxPool2x2(xPtr, yPtr, channels, H, W, OH, OW, win.strides[0], win.strides[1]);
  Y.set(wk.view(yPtr, outFloats));
}
