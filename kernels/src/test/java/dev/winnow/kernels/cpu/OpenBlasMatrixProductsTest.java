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
 * The OpenBLAS product against the Java reference ({@link JavaMatrixProducts}) on random matrices
 * of awkward shapes. Each output is a sum of {@code k} products summed in a different order by the
 * two, so they agree within float32 rounding of that sum: {@code |Δ| ≤ 1e-5 · Σ_p |a_ip · b_pj|}
 * (the sum of magnitudes, not the result, bounds the rounding of a sum with cancellation). Skipped,
 * saying why, where the native library does not load.
 */
class OpenBlasMatrixProductsTest {

  @BeforeEach
  void nativeLibraryLoads() {
    String reason = null;
    try {
      OpenBlasMatrixProducts.probe();
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
  })
  void equalsTheJavaReference(int rows, int k, int m, int threads) {
    Random random = new Random(31L * rows + 7L * k + m);
    float[] a = gaussian(random, rows * k);
    float[] b = gaussian(random, k * m);
    float[] bias = gaussian(random, m);
    float[] start = gaussian(random, rows * m);
    try (WorkerPool pool = new WorkerPool(threads);
        JavaMatrixProducts java = new JavaMatrixProducts(pool);
        OpenBlasMatrixProducts blas = OpenBlasMatrixProducts.open(pool)) {
      MatrixProducts.Packed bj = java.pack(b, k, m);
      MatrixProducts.Packed bn = blas.pack(b, k, m);
      assertEquals(k, bn.rows());
      assertEquals(m, bn.cols());
      for (boolean accumulate : new boolean[] {false, true}) {
        for (float[] withBias : new float[][] {null, bias}) {
          float[] expected = start.clone();
          float[] actual = start.clone();
          java.multiply(a, rows, bj, withBias, expected, accumulate);
          blas.multiply(a, rows, bn, withBias, actual, accumulate);
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < m; j++) {
              double magnitude =
                  (accumulate ? Math.abs(start[i * m + j]) : 0)
                      + (withBias != null ? Math.abs(bias[j]) : 0);
              for (int p = 0; p < k; p++) {
                magnitude += Math.abs((double) a[i * k + p] * b[p * m + j]);
              }
              double diff = Math.abs(expected[i * m + j] - actual[i * m + j]);
              if (diff > 1e-5 * magnitude + 1e-30) {
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
                        + ", openblas "
                        + actual[i * m + j]
                        + ", bound "
                        + 1e-5 * magnitude);
              }
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "k {0}, m {1}")
  @CsvSource({"128, 384", "320, 50257", "7, 5", "256, 1536"})
  void aRowsResultDoesNotDependOnTheBatchItIsIn(int k, int m) {
    // the engine's promise: a sequence scored in a batch gets exactly what it gets alone
    Random random = new Random(k + m);
    int rows = 77;
    float[] a = gaussian(random, rows * k);
    float[] b = gaussian(random, k * m);
    try (WorkerPool pool = new WorkerPool(2);
        OpenBlasMatrixProducts blas = OpenBlasMatrixProducts.open(pool)) {
      MatrixProducts.Packed packed = blas.pack(b, k, m);
      float[] batched = new float[rows * m];
      blas.multiply(a, rows, packed, null, batched, false);
      for (int[] span : new int[][] {{0, 1}, {5, 8}, {40, 77}, {3, 35}}) {
        int n = span[1] - span[0];
        float[] alone = new float[n * m];
        blas.multiply(
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
  void rowsBeyondTheProductAreLeftAlone() {
    // the head multiplies a block of n < 32 rows into a [32, vocab] buffer: the rest must not
    // change
    Random random = new Random(5);
    float[] a = gaussian(random, 4 * 9);
    float[] b = gaussian(random, 9 * 11);
    float[] c = new float[4 * 11];
    java.util.Arrays.fill(c, 42f);
    try (WorkerPool pool = new WorkerPool(1);
        OpenBlasMatrixProducts blas = OpenBlasMatrixProducts.open(pool)) {
      blas.multiply(a, 2, blas.pack(b, 9, 11), null, c, false);
    }
    for (int j = 2 * 11; j < c.length; j++) {
      assertEquals(42f, c[j], "index " + j);
    }
  }

  @Test
  void refusesAMatrixPackedByAnotherBackend() {
    try (WorkerPool pool = new WorkerPool(1);
        OpenBlasMatrixProducts blas = OpenBlasMatrixProducts.open(pool)) {
      MatrixProducts.Packed javaPacked = new JavaMatrixProducts(pool).pack(new float[6], 2, 3);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> blas.multiply(new float[2], 1, javaPacked, null, new float[3], false));
      assertTrue(e.getMessage().contains("not by the OpenBLAS backend"), e.getMessage());
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
