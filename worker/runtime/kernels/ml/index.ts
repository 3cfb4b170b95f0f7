/**
 * The ai.onnx.ml kernels: tree ensembles, linear models, preprocessing, label encoding, ZipMap.
 */
import type { Kernel } from '../../kernel';
import { arrayFeatureExtractor } from './array-feature-extractor';
import { labelEncoder } from './label-encoder';
import { linearClassifier, linearRegressor } from './linear';
import { oneHotEncoder } from './one-hot';
import { binarizer, imputer, normalizer, scaler } from './preprocessing';
import { treeEnsemble } from './tree-ensemble';
import { treeEnsembleClassifier } from './tree-ensemble-classifier';
import { treeEnsembleRegressor } from './tree-ensemble-regressor';
import { zipMap } from './zipmap';

export const mlKernels: readonly Kernel<any>[] = [
  treeEnsembleClassifier,
  treeEnsembleRegressor,
  treeEnsemble,
  linearClassifier,
  linearRegressor,
  scaler,
  normalizer,
  binarizer,
  imputer,
  labelEncoder,
  oneHotEncoder,
  arrayFeatureExtractor,
  zipMap,
];
