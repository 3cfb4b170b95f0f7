/**
 * `npm run models`: retrains and re-exports every example model deterministically (fixed seeds,
 * fixed splits, data from npm packages only) and writes models/<name>/model.onnx.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainDigits } from './digits/train';
import { trainDigitsLarge } from './digits-large/train';
import { type TrainResult, trainIris } from './iris/train';

const TRAINERS: ReadonlyArray<() => TrainResult> = [trainIris, trainDigits, trainDigitsLarge];

for (const train of TRAINERS) {
  const started = Date.now();
  const result = train();
  const file = join(__dirname, result.name, 'model.onnx');
  writeFileSync(file, result.model);
  console.log(
    `${result.name}: held-out accuracy ${(result.accuracy * 100).toFixed(2)}% on ${result.testRows} rows; ` +
      `${file} (${result.model.length} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
