/**
 * The ai.onnx.ml kernels: tree ensembles, linear models, SVMs, preprocessing, label and category
 * encoding, feature vectorizing, ZipMap. Also two ai.onnx (domain '') ops of scikit-learn's text
 * pipelines, TfIdfVectorizer and StringNormalizer: kernels are registered by op and domain, so
 * the folder only groups them with the models they feed.
 */
import type { AnyKernel } from '../../kernel';
import { arrayFeatureExtractor } from './array-feature-extractor';
import { labelEncoder } from './label-encoder';
import { linearClassifier, linearRegressor } from './linear';
import { oneHotEncoder } from './one-hot';
import { categoryMapper } from './category-mapper';
import { featureVectorizer } from './feature-vectorizer';
import { binarizer, imputer, normalizer, scaler } from './preprocessing';
import { stringNormalizer } from './string-normalizer';
import { svmClassifier } from './svm-classifier';
import { svmRegressor } from './svm-regressor';
import { tfIdfVectorizer } from './tfidf-vectorizer';
import { treeEnsemble } from './tree-ensemble';
import { treeEnsembleClassifier } from './tree-ensemble-classifier';
import { treeEnsembleRegressor } from './tree-ensemble-regressor';
import { zipMap } from './zipmap';

export const mlKernels: readonly AnyKernel[] = [
  treeEnsembleClassifier,
  treeEnsembleRegressor,
  treeEnsemble,
  linearClassifier,
  linearRegressor,
  svmClassifier,
  svmRegressor,
  scaler,
  normalizer,
  binarizer,
  imputer,
  labelEncoder,
  oneHotEncoder,
  arrayFeatureExtractor,
  categoryMapper,
  featureVectorizer,
  zipMap,
  // ai.onnx (domain '') text ops
  tfIdfVectorizer,
  stringNormalizer,
];
