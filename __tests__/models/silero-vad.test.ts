/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * A published model as users get it: the Silero voice-activity detectors shipped in the
 * @ricky0123/vad-web npm package (v5 and v6: opset 16, LSTMs inside If branches on the sample rate,
 * branch outputs declared without types; the legacy one: h/c states). Each is compiled through the
 * production path and run on a stream of 512-sample chunks of seeded audio, feeding the state back
 * as a client does, and every chunk's speech probability and state match onnxruntime-node's.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../../worker/runtime/tensor';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';
import { sessionFor } from '../support/run-ours';

const dist = path.dirname(require.resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
const CHUNK = 512;
const CHUNKS = 4;

/** Seeded audio: a voiced-like tone with harmonics and noise, silence-ish in the first chunk. */
function audio(chunk: number): Float32Array {
  const x = new Float32Array(CHUNK);
  let seed = 1234 + chunk;
  for (let i = 0; i < CHUNK; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t = (chunk * CHUNK + i) / 16000;
    const voice = chunk === 0 ? 0 : 0.3 * Math.sin(2 * Math.PI * 180 * t) + 0.15 * Math.sin(2 * Math.PI * 360 * t) + 0.05 * Math.sin(2 * Math.PI * 1100 * t);
    x[i] = voice + 0.01 * (seed / 2147483648 - 0.5);
  }
  return x;
}

const sampleRate = new Tensor('int64', [], BigInt64Array.from([16000n]));

describe.each(['silero_vad_v5.onnx', 'silero_vad_v6.onnx'])('%s from @ricky0123/vad-web', (file) => {
  it('compiles and follows onnxruntime chunk by chunk, with the state fed back', async () => {
    const bytes = readFileSync(path.join(dist, file));
    const session = sessionFor(bytes);
    let state: Tensor = new Tensor('float32', [2, 1, 128], new Float32Array(2 * 128));
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const feeds = { input: new Tensor('float32', [1, CHUNK], audio(chunk)), state, sr: sampleRate };
      const ours = session.run(feeds);
      const theirs = await runOrt(bytes, feeds);
      expectSameAsOrt(`chunk ${chunk} output`, ours.output, theirs.output);
      expectSameAsOrt(`chunk ${chunk} stateN`, ours.stateN, theirs.stateN);
      state = ours.stateN.clone();
    }
  });
});

describe('silero_vad_legacy.onnx from @ricky0123/vad-web', () => {
  it('compiles and follows onnxruntime chunk by chunk, with h and c fed back', async () => {
    const bytes = readFileSync(path.join(dist, 'silero_vad_legacy.onnx'));
    const session = sessionFor(bytes);
    let h: Tensor = new Tensor('float32', [2, 1, 64], new Float32Array(128));
    let c: Tensor = new Tensor('float32', [2, 1, 64], new Float32Array(128));
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const feeds = { input: new Tensor('float32', [1, CHUNK], audio(chunk)), sr: sampleRate, h, c };
      const ours = session.run(feeds);
      const theirs = await runOrt(bytes, feeds);
      expectSameAsOrt(`chunk ${chunk} output`, ours.output, theirs.output);
      expectSameAsOrt(`chunk ${chunk} hn`, ours.hn, theirs.hn);
      expectSameAsOrt(`chunk ${chunk} cn`, ours.cn, theirs.cn);
      h = ours.hn.clone();
      c = ours.cn.clone();
    }
  });
});
