package dev.winnow.kernels.train;

/** Log-sum-exp in double, for the losses. */
final class Softmax {
  private Softmax() {}

  /** {@code ln Σ_j exp(scale · z[o + j])} for {@code j < n}, shifted by the maximum. */
  static double logSumExp(float[] z, int o, int n, double scale) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, z[o + j] * scale);
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += Math.exp(z[o + j] * scale - max);
    }
    return max + Math.log(sum);
  }
}
