/**
 * MaxPool over float32 planes in WebAssembly: the same values as the JavaScript path (see
 * worker/wasm/pool.as.ts), without its data-dependent branches, which on real activations
 * mispredict often enough to cost several times the arithmetic. 2x2 windows without padding run in
 * maxPool2x2, every other 1-D or 2-D window in maxPoolPlanes.
 */
import { span } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import { convExports } from './conv-exports';
import type { PlaneWindow, Window } from './spatial';

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

/** Any 1-D or 2-D window (`plane`, the window's plane form) over `channels` planes. */
export function maxPoolPlanesWasm(wk: WasmKernels, X: Float32Array, Y: Float32Array, channels: number, plane: PlaneWindow): void {
  const { H, W, OH, OW } = plane;
  const inFloats = channels * H * W;
  const outFloats = channels * OH * OW;
  wk.beginCall();
  // 8 floats of slack: stride-2 vector loads read one float past the last row
  const xPtr = wk.allocScratch(inFloats + 8);
  const yPtr = wk.allocScratch(outFloats);
  const heap = wk.f32; // after the last allocation
  heap.set(span(X, 0, inFloats), xPtr >> 2);
  convExports(wk).maxPoolPlanes(xPtr, yPtr, channels, H, W, OH, OW, plane.KH, plane.KW, plane.SH, plane.SW, plane.PH, plane.PW, plane.DH, plane.DW);
  Y.set(wk.view(yPtr, outFloats));
}

/**
 * Pools `channels` planes at byte address `xPtr` of `wk`'s memory into `yPtr` with the kernel
 * maxPoolWasm or maxPoolPlanesWasm would choose (a ConvChain's pool stage). `xPtr` must be followed
 * by 8 readable floats.
 */
export function maxPoolInHeap(wk: WasmKernels, channels: number, win: Window, xPtr: number, yPtr: number): void {
  const p = win.plane;
  if (p === null) throw new Error('maxPoolInHeap pools 1-D and 2-D windows only; check win.plane first');
  if (maxPoolWasmSupports(win)) wk.exports.maxPool2x2(xPtr, yPtr, channels, p.H, p.W, p.OH, p.OW, p.SH, p.SW);
  else convExports(wk).maxPoolPlanes(xPtr, yPtr, channels, p.H, p.W, p.OH, p.OW, p.KH, p.KW, p.SH, p.SW, p.PH, p.PW, p.DH, p.DW);
}
