/**
 * Platt scaling for SVMClassifier (prob_a / prob_b): pairwise sigmoid probabilities, coupled into
 * per-class probabilities by the iterative method of Wu, Lin and Weng (libsvm's
 * multiclass_probability). Evaluated in float32 step by step like onnxruntime, because the
 * iteration stops on a float32 error threshold and the number of steps shows in the result.
 */
const f = Math.fround;

function logistic32(x: number): number {
  const v = f(1 / f(1 + f(Math.exp(-Math.abs(x)))));
  return x < 0 ? f(1 - v) : v;
}

/** libsvm's P(class i | pair score) for one one-vs-one classifier. */
export function sigmoidProbability(score: number, probA: number, probB: number): number {
  const val = f(f(score * probA) + probB);
  return f(1 - logistic32(val));
}

/**
 * Fills r (k x k, row-major) with the pairwise probabilities of classifier scores laid out in
 * one-vs-one order (0-1, 0-2, ..., 1-2, ...), clamped to [1e-7, 1 - 1e-7].
 */
export function pairwiseProbabilities(k: number, scores: ArrayLike<number>, scoreOffset: number, probA: Float32Array, probB: Float32Array, r: Float32Array): void {
  const lo = f(1e-7);
  const hi = f(1 - lo);
  let index = 0;
  for (let i = 0; i < k - 1; i++) {
    for (let j = i + 1; j < k; j++, index++) {
      let p = sigmoidProbability(scores[scoreOffset + index], probA[index], probB[index]);
      p = Math.min(Math.max(p, lo), hi);
      r[i * k + j] = p;
      r[j * k + i] = f(1 - p);
    }
  }
}

/** Per-class probabilities p[0..k) from pairwise probabilities r (k x k). */
export function multiclassProbability(k: number, r: Float32Array, p: Float32Array, pOffset: number): void {
  const Q = new Float32Array(k * k);
  const Qp = new Float32Array(k);
  const eps = f(0.005 / k);
  for (let i = 0; i < k; i++) {
    p[pOffset + i] = f(1 / k);
    for (let j = 0; j < i; j++) {
      Q[i * k + i] = f(Q[i * k + i] + f(r[j * k + i] * r[j * k + i]));
      Q[i * k + j] = Q[j * k + i];
    }
    for (let j = i + 1; j < k; j++) {
      Q[i * k + i] = f(Q[i * k + i] + f(r[j * k + i] * r[j * k + i]));
      Q[i * k + j] = f(-r[j * k + i] * r[i * k + j]);
    }
  }
  for (let loop = 0; loop < 100; loop++) {
    let pQp = 0;
    for (let i = 0; i < k; i++) {
      let q = 0;
      for (let j = 0; j < k; j++) q = f(q + f(Q[i * k + j] * p[pOffset + j]));
      Qp[i] = q;
      pQp = f(pQp + f(p[pOffset + i] * q));
    }
    let maxError = 0;
    for (let i = 0; i < k; i++) {
      const error = Math.abs(f(Qp[i] - pQp));
      if (error > maxError) maxError = error;
    }
    if (maxError < eps) break;
    for (let i = 0; i < k; i++) {
      const qii = Q[i * k + i];
      const diff = f(f(-Qp[i] + pQp) / qii);
      p[pOffset + i] = f(p[pOffset + i] + diff);
      const onePlus = f(1 + diff);
      pQp = f(f(f(pQp + f(diff * f(f(diff * qii) + f(2 * Qp[i])))) / onePlus) / onePlus);
      for (let j = 0; j < k; j++) {
        Qp[j] = f(f(Qp[j] + f(diff * Q[i * k + j])) / onePlus);
        p[pOffset + j] = f(p[pOffset + j] / onePlus);
      }
    }
  }
}
