package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oneDNN bf16 product against the Java float32 reference ({@link JavaMatrixProducts}) on random
 * matrices of awkward shapes.
 *
 * <p>The bounds. Plain bf16: each input rounded to bf16 (8 significant bits: relative error at most
 * {@code u = 2^-8} each, taken generously), so each term {@code a·b} becomes {@code
 * a(1+δ₁)·b(1+δ₂)}, off by at most {@code (2u + u²)|a·b|}; products of bf16 values are exact in
 * float32 and summed in float32 (the 1e-5 the fp32 backends are held to). So {@code |Δ| ≤ (2·2^-8 +
 * 2^-16 + 1e-5) · Σ_p |a_ip · b_pj|}. The x3 form ({@code a = a_hi + a_lo}, {@code a_hi·b_hi +
 * a_hi·b_lo + a_lo·b_hi}): with round-to-nearest {@code |a_lo| ≤ 2^-9|a|} and {@code a_lo} itself
 * rounded within {@code 2^-9|a_lo|}; what is left out ({@code a_lo·b_lo} and the two roundings of
 * the lows) is at most {@code 3·2^-18|a·b|}, so {@code |Δ| ≤ (3·2^-18 + 1e-5) · Σ|a·b|}. Plus the
 * float32 rounding of the bias and accumulator added after the product. Skipped, saying why, where
 * oneDNN cannot load or the CPU has no bf16.
 */
class OneDnnMatrixProductsTest {
  static final double BF16_BOUND = 2 * Math.scalb(1.0, -8) + Math.scalb(1.0, -16) + 1e-5;
  static final double X3_BOUND = 3 * Math.scalb(1.0, -18) + 1e-5;

  @BeforeEach
  void nativeLibraryLoads() {
    String reason = null;
    try {
      OneDnnMatrixProducts.probe();
    } catch (MatrixBackendUnavailableException e) {
      reason = e.getMessage();
    }
    Assumptions.assumeTrue(reason == null, "skipped: " + reason);
  }

  @ParameterizedTest(name = "{0} × {1} · {1} × {2}, threads {3}")
  @CsvSource({
    "1, 1, 1, 1",
    "1, 128, 50257, 2",
    "3, 7, 5, 1",
    "17, 129, 33, 2",
    "64, 320, 960, 2",
    "129, 255, 513, 2",
    "1000, 31, 67, 2",
    "1000, 128, 384, 1",
    "33, 1280, 2049, 2",
  })
  void equalsTheJavaReferenceWithinBf16Rounding(int rows, int k, int m, int threads) {
    for (OneDnnMatrixProducts.Form form : OneDnnMatrixProducts.Form.values()) {
      String before = System.getProperty(OneDnnMatrixProducts.FORM_PROPERTY);
      System.setProperty(
          OneDnnMatrixProducts.FORM_PROPERTY, form.name().toLowerCase(java.util.Locale.ROOT));
      try {
        check(rows, k, m, threads, form == OneDnnMatrixProducts.Form.X3 ? X3_BOUND : BF16_BOUND);
      } finally {
        if (before == null) {
          System.clearProperty(OneDnnMatrixProducts.FORM_PROPERTY);
        } else {
          System.setProperty(OneDnnMatrixProducts.FORM_PROPERTY, before);
        }
      }
    }
  }

  private static void check(int rows, int k, int m, int threads, double relative) {
    Random random = new Random(31L * rows + 7L * k + m);
    float[] a = gaussian(random, rows * k);
    float[] b = gaussian(random, k * m);
    float[] bias = gaussian(random, m);
    float[] start = gaussian(random, rows * m);
    try (WorkerPool pool = new WorkerPool(threads);
        JavaMatrixProducts java = new JavaMatrixProducts(pool);
        OneDnnMatrixProducts dnn = OneDnnMatrixProducts.open(pool)) {
      MatrixProducts.Packed bj = java.pack(b, k, m);
      MatrixProducts.Packed bn = dnn.pack(b, k, m);
      assertEquals(k, bn.rows());
      assertEquals(m, bn.cols());
      double worst = 0;
      for (boolean accumulate : new boolean[] {false, true}) {
        for (float[] withBias : new float[][] {null, bias}) {
          float[] expected = start.clone();
          float[] actual = start.clone();
          java.multiply(a, rows, bj, withBias, expected, accumulate);
          dnn.multiply(a, rows, bn, withBias, actual, accumulate);
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < m; j++) {
              double products = 0;
              for (int p = 0; p < k; p++) {
                products += Math.abs((double) a[i * k + p] * b[p * m + j]);
              }
              double added =
                  (accumulate ? Math.abs(start[i * m + j]) : 0)
                      + (withBias != null ? Math.abs(bias[j]) : 0);
              double bound = relative * products + 1e-6 * (added + products) + 1e-30;
              double diff = Math.abs(expected[i * m + j] - actual[i * m + j]);
              worst = Math.max(worst, diff / products);
              if (diff > bound) {
                throw new AssertionError(
                    "row "
                        + i
                        + " col "
                        + j
                        + " (accumulate "
                        + accumulate
                        + ", bias "
                        + (withBias != null)
                        + "): java "
                        + expected[i * m + j]
                        + ", onednn "
                        + actual[i * m + j]
                        + ", bound "
                        + bound
                        + " (relative "
                        + relative
                        + ")");
              }
            }
          }
        }
      }
      // not float32: a bf16 product is visibly rounded on random data (guards against a silent
      // fp32 path); k = 1 products of bf16-exact inputs may be exact, so only where k is large
      if (k >= 31 && relative == BF16_BOUND) {
        assertTrue(worst > 1e-5, "worst relative difference " + worst + " looks like fp32");
      }
    }
  }

  @ParameterizedTest(name = "k {0}, m {1}, threads {2}")
  @CsvSource({"128, 384, 2", "320, 50257, 2", "7, 5, 1", "256, 1536, 2", "256, 1536, 1"})
  void aRowsResultDoesNotDependOnTheBatchItIsInNorOnThreads(int k, int m, int threads) {
    // the engine's promise: a sequence scored in a batch gets exactly what it gets alone
    Random random = new Random(k + m);
    int rows = 77;
    float[] a = gaussian(random, rows * k);
    float[] b = gaussian(random, k * m);
    float[] reference = new float[rows * m];
    try (WorkerPool one = new WorkerPool(1);
        OneDnnMatrixProducts single = OneDnnMatrixProducts.open(one)) {
      single.multiply(a, rows, single.pack(b, k, m), null, reference, false);
    }
    try (WorkerPool pool = new WorkerPool(threads);
        OneDnnMatrixProducts dnn = OneDnnMatrixProducts.open(pool)) {
      MatrixProducts.Packed packed = dnn.pack(b, k, m);
      float[] batched = new float[rows * m];
      dnn.multiply(a, rows, packed, null, batched, false);
      assertArrayEquals(reference, batched, "threads " + threads + " against 1");
      for (int[] span : new int[][] {{0, 1}, {5, 8}, {40, 77}, {3, 35}, {31, 33}}) {
        int n = span[1] - span[0];
        float[] alone = new float[n * m];
        dnn.multiply(
            java.util.Arrays.copyOfRange(a, span[0] * k, span[1] * k),
            n,
            packed,
            null,
            alone,
            false);
        assertArrayEquals(
            java.util.Arrays.copyOfRange(batched, span[0] * m, span[1] * m),
            alone,
            "rows " + span[0] + ".." + span[1] + " alone");
      }
    }
  }

  @Test
  void roundsToNearestEven() {
    assertEquals(1f, OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(1f)));
    // 1 + 2^-8 is halfway between bf16 1 and 1 + 2^-7: ties to even (1)
    assertEquals(1f, OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(1f + 0x1p-8f)));
    // just above halfway rounds up
    assertEquals(
        1f + 0x1p-7f,
        OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(1f + 0x1p-8f + 0x1p-20f)));
    // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties to even (1 + 2^-6)
    assertEquals(
        1f + 0x1p-6f, OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(1f + 3 * 0x1p-8f)));
    assertTrue(Float.isNaN(OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(Float.NaN))));
    assertEquals(
        Float.NEGATIVE_INFINITY,
        OneDnnMatrixProducts.fromBf16(OneDnnMatrixProducts.bf16(Float.NEGATIVE_INFINITY)));
  }

  @Test
  void rowsBeyondTheProductAreLeftAlone() {
    Random random = new Random(5);
    float[] a = gaussian(random, 4 * 9);
    float[] b = gaussian(random, 9 * 11);
    float[] c = new float[4 * 11];
    java.util.Arrays.fill(c, 42f);
    try (WorkerPool pool = new WorkerPool(1);
        OneDnnMatrixProducts dnn = OneDnnMatrixProducts.open(pool)) {
      dnn.multiply(a, 2, dnn.pack(b, 9, 11), null, c, false);
    }
    for (int j = 2 * 11; j < c.length; j++) {
      assertEquals(42f, c[j], "index " + j);
    }
  }

  @Test
  void refusesAMatrixPackedByAnotherBackend() {
    try (WorkerPool pool = new WorkerPool(1);
        OneDnnMatrixProducts dnn = OneDnnMatrixProducts.open(pool)) {
      MatrixProducts.Packed javaPacked = new JavaMatrixProducts(pool).pack(new float[6], 2, 3);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> dnn.multiply(new float[2], 1, javaPacked, null, new float[3], false));
      assertTrue(e.getMessage().contains("not by the oneDNN backend"), e.getMessage());
    }
  }

  private static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
