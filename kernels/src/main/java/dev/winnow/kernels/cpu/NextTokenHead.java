package dev.winnow.kernels.cpu;

/**
 * The output head and log-softmax: from final hidden states to the log-probability of a target
 * token and the most likely token.
 *
 * <p>{@code ln p(y) = z_y − (max z + ln Σ_v exp(z_v − max z))} with logits {@code z = h · W_head};
 * the exponentials are computed by {@link #expShifted} and summed in double. Logits are computed
 * for {@link #ROWS_PER_BLOCK} rows at a time (a {@code [32, vocab]} buffer rather than {@code [N,
 * vocab]}), the product through {@link MatrixProducts} (the Java one parallel over vocabulary
 * tiles) and the reductions parallel over rows.
 */
final class NextTokenHead {
  static final int ROWS_PER_BLOCK = 32;

  private final MatrixProducts products;
  private final MatrixProducts.Packed head;
  private final int hiddenSize;
  private final int vocabSize;
  private final WorkerPool pool;

  NextTokenHead(
      float[] head, int hiddenSize, int vocabSize, WorkerPool pool, MatrixProducts products) {
    this.products = products;
    this.head = products.pack(head, hiddenSize, vocabSize);
    this.hiddenSize = hiddenSize;
    this.vocabSize = vocabSize;
    this.pool = pool;
  }

  private static final ThreadLocal<float[]> EXPS = new ThreadLocal<>();

  private static float[] expBuffer(int n) {
    float[] b = EXPS.get();
    if (b == null || b.length < n) {
      b = new float[n];
      EXPS.set(b);
    }
    return b;
  }

  /**
   * {@code z[j] = exp(z[j] − max)} for {@code j < n}, all {@code z[j] <= max}, in float32
   * arithmetic that C2 vectorizes ({@link Math#exp} is a scalar call, and was 40% of the head's
   * time): {@code exp(x) = p(x/64)^64} with {@code p} the degree-9 Taylor polynomial of {@code exp}
   * and six squarings; {@code x} is clamped at −80. For {@code x >= −40} the relative error per
   * term is under 1e-5 (the squarings multiply float32 rounding by 64); smaller terms, below 4e-18
   * of the largest, are less exact, which does not show in the sum. The log-sum-exp, a sum of
   * positive terms, inherits at most that (measured: ~1e-7 on 50,257 logits), well inside the 1e-4
   * the goldens require.
   */
  static void expShifted(float[] z, int n, float max) {
    for (int j = 0; j < n; j++) {
      float t = Math.max(z[j] - max, -80f) * 0.015625f;
      float p =
          1f
              + t
                  * (1f
                      + t
                          * (0.5f
                              + t
                                  * (1.6666667e-1f
                                      + t
                                          * (4.1666668e-2f
                                              + t
                                                  * (8.333334e-3f
                                                      + t
                                                          * (1.3888889e-3f
                                                              + t
                                                                  * (1.984127e-4f
                                                                      + t
                                                                          * (2.4801588e-5f
                                                                              + t
                                                                                  * 2.7557319e-6f))))))));
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      z[j] = p;
    }
  }

  /** Sum in double with four independent accumulators (the additions pipeline). */
  static double sum(float[] a, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[j];
      s1 += a[j + 1];
      s2 += a[j + 2];
      s3 += a[j + 3];
    }
    for (; j < n; j++) {
      s0 += a[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * For rows {@code r < rows} of {@code hidden [rows, d]}: {@code argmax[r]} and, where {@code
   * targets[r] >= 0}, {@code logProbs[r] = ln p(targets[r])} (NaN where {@code targets[r] < 0}).
   */
  void apply(float[] hidden, int rows, int[] targets, float[] logProbs, int[] argmax) {
    int d = hiddenSize;
    int v = vocabSize;
    int blockRows = Math.min(ROWS_PER_BLOCK, rows);
    float[] block = new float[blockRows * d];
    float[] logits = new float[blockRows * v];
    for (int r0 = 0; r0 < rows; r0 += blockRows) {
      int n = Math.min(blockRows, rows - r0);
      long t = PassProfile.start();
      System.arraycopy(hidden, r0 * d, block, 0, n * d);
      products.multiply(block, n, head, null, logits, false);
      t = PassProfile.lap(PassProfile.Part.HEAD_PRODUCT, t);
      final int first = r0;
      pool.forEach(
          n,
          i -> {
            int o = i * v;
            float max = Float.NEGATIVE_INFINITY;
            int best = 0;
            for (int j = 0; j < v; j++) {
              float z = logits[o + j];
              if (z > max) {
                max = z;
                best = j;
              }
            }
            argmax[first + i] = best;
            int target = targets[first + i];
            if (target < 0) {
              logProbs[first + i] = Float.NaN;
              return;
            }
            float[] exps = expBuffer(v);
            System.arraycopy(logits, o, exps, 0, v);
            expShifted(exps, v, max);
            logProbs[first + i] = (float) (logits[o + target] - max - Math.log(sum(exps, v)));
          });
      PassProfile.lap(PassProfile.Part.HEAD_SOFTMAX, t);
    }
  }
}
