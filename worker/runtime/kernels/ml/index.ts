/**
 * The ai.onnx.ml kernels: tree ensembles, linear models, SVMs, preprocessing, label and category
 * encoding, feature vectorizing, ZipMap. Also two ai.onnx (domain '') ops of scikit-learn's text
 * pipelines, TfIdfVectorizer and StringNormalizer: kernels are registered by op and domain, so
 * the folder only groups them with the models they feed.
 */
import type { AnyKernel } from '../../kernel';
import { arrayFeatureExtractorKernel } from './array-feature-extractor';
import { labelEncoderKernel } from './label-encoder';
import { linearClassifierKernel, linearRegressorKernel } from './linear';
import { oneHotEncoderKernel } from './one-hot';
import { categoryMapperKernel } from './category-mapper';
import { featureVectorizerKernel } from './feature-vectorizer';
import { binarizerKernel, imputerKernel, normalizerKernel, scalerKernel } from './preprocessing';
import { stringNormalizerKernel } from './string-normalizer';
import { svmClassifierKernel } from './svm-classifier';
import { svmRegressorKernel } from './svm-regressor';
import { tfIdfVectorizerKernel } from './tfidf-vectorizer';
import { treeEnsembleKernel } from './tree-ensemble';
import { treeEnsembleClassifierKernel } from './tree-ensemble-classifier';
import { treeEnsembleRegressorKernel } from './tree-ensemble-regressor';
import { zipMapKernel } from './zipmap';

export const mlKernels: readonly AnyKernel[] = [
  treeEnsembleClassifierKernel,
  treeEnsembleRegressorKernel,
  treeEnsembleKernel,
  linearClassifierKernel,
  linearRegressorKernel,
  svmClassifierKernel,
  svmRegressorKernel,
  scalerKernel,
  normalizerKernel,
  binarizerKernel,
  imputerKernel,
  labelEncoderKernel,
  oneHotEncoderKernel,
  arrayFeatureExtractorKernel,
  categoryMapperKernel,
  featureVectorizerKernel,
  zipMapKernel,
  // ai.onnx (domain '') text ops
  tfIdfVectorizerKernel,
  stringNormalizerKernel,
];
