package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MatrixProducts#gemm} and {@link MatrixProducts#parallelGemm} on every backend that runs
 * here, against a double-precision reference, for all four transpose combinations, awkward shapes,
 * operands inside larger arrays (offsets, leading dimensions wider than the stored width) and
 * {@code beta} of 0, 1 and ½. Each output is a sum of {@code k} float32 products, so the bound is
 * float32 rounding of that sum: {@code |Δ| ≤ max(1e-5, k·2⁻²³) · Σ_p |a_ip · b_pj|}. Backends whose
 * native library does not load are skipped, saying why.
 */
class GemmTest {

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    int[][] mnk = {
      {1, 1, 1}, {1, 64, 37}, {3, 5, 7}, {17, 129, 33}, {64, 300, 65}, {129, 17, 1000}
    };
    for (MatrixBackend backend : MatrixBackend.values()) {
      for (int[] s : mnk) {
        for (int t = 0; t < 4; t++) {
          out.add(Arguments.of(backend, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} × {3} · {3} × {2}, transA {4}, transB {5}")
  @MethodSource("shapes")
  void equalsTheReference(
      MatrixBackend backend, int m, int n, int k, boolean transA, boolean transB) {
    Random random = new Random(1009L * m + 31L * n + k + (transA ? 7 : 0) + (transB ? 13 : 0));
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    // operands inside larger arrays: offset 5, leading dimension 3 wider than the stored width
    int lda = aCols + 3;
    int ldb = bCols + 3;
    int ldc = n + 3;
    float[] a = gaussian(random, 5 + aRows * lda);
    float[] b = gaussian(random, 5 + bRows * ldb);
    float[] start = gaussian(random, 5 + m * ldc);
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = open(backend, pool)) {
      for (float beta : new float[] {0f, 1f, 0.5f}) {
        float[] c = start.clone();
        if (beta == 0f) {
          for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(c, 5 + i * ldc, 5 + i * ldc + n, Float.NaN);
          }
        }
        products.gemm(transA, transB, m, n, k, a, 5, lda, b, 5, ldb, beta, c, 5, ldc);
        check(a, lda, transA, b, ldb, transB, m, n, k, beta, start, c, ldc, backend + " gemm");

        float[] cp = beta == 0f ? c.clone() : start.clone();
        if (beta == 0f) {
          java.util.Arrays.fill(cp, 5, cp.length, Float.NaN);
          for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc && 5 + i * ldc + j < cp.length; j++) {
              cp[5 + i * ldc + j] = start[5 + i * ldc + j];
            }
          }
        }
        products.parallelGemm(
            pool, transA, transB, m, n, k, a, 5, lda, b, 5, ldb, beta, cp, 5, ldc);
        check(a, lda, transA, b, ldb, transB, m, n, k, beta, start, cp, ldc, backend + " parallel");
      }
    }
  }

  @Test
  void aTiledParallelProductEqualsTheSingleCallOnJava() {
    Random random = new Random(5);
    int m = 200;
    int n = 700;
    int k = 90;
    float[] a = gaussian(random, m * k);
    float[] b = gaussian(random, k * n);
    float[] c1 = new float[m * n];
    float[] c2 = new float[m * n];
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts java = new JavaMatrixProducts(pool)) {
      java.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c1, 0, n);
      java.parallelGemm(pool, false, false, m, n, k, a, 0, k, b, 0, n, 0f, c2, 0, n);
    }
    // Java sums over k in the same order whatever the tile: the same bits
    assertArrayEquals(c1, c2);
  }

  @Test
  void operandsOutsideTheirArraysAreRefusedNamingWhichAndWhy() {
    try (WorkerPool pool = new WorkerPool(1);
        MatrixProducts java = new JavaMatrixProducts(pool)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  java.gemm(
                      false,
                      false,
                      4,
                      4,
                      4,
                      new float[15],
                      0,
                      4,
                      new float[16],
                      0,
                      4,
                      0f,
                      new float[16],
                      0,
                      4));
      assertTrue(e.getMessage().contains("gemm operand a"), e.getMessage());
      assertTrue(e.getMessage().contains("needs 16 values, the array has 15"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  java.gemm(
                      false,
                      true,
                      2,
                      3,
                      4,
                      new float[8],
                      0,
                      4,
                      new float[12],
                      0,
                      2,
                      0f,
                      new float[6],
                      0,
                      3));
      assertTrue(
          e.getMessage().contains("leading dimension 2 is less than its stored width 4"),
          e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  java.gemm(
                      false,
                      false,
                      -1,
                      3,
                      4,
                      new float[8],
                      0,
                      4,
                      new float[12],
                      0,
                      3,
                      0f,
                      new float[6],
                      0,
                      3));
      assertTrue(e.getMessage().contains("sizes must be ≥ 0"), e.getMessage());
    }
  }

  @Test
  void anEmptyInnerDimensionScalesC() {
    try (WorkerPool pool = new WorkerPool(1);
        MatrixProducts java = new JavaMatrixProducts(pool)) {
      float[] c = {1, 2, 3, 4};
      java.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 2);
      assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, c);
    }
  }

  private static MatrixProducts open(MatrixBackend backend, WorkerPool pool) {
    String reason = null;
    try {
      backend.probe();
    } catch (MatrixBackendUnavailableException e) {
      reason = e.getMessage();
    }
    Assumptions.assumeTrue(reason == null, "skipped: " + reason);
    return MatrixProducts.open(backend, pool);
  }

  private static void check(
      float[] a,
      int lda,
      boolean transA,
      float[] b,
      int ldb,
      boolean transB,
      int m,
      int n,
      int k,
      float beta,
      float[] start,
      float[] c,
      int ldc,
      String what) {
    double tolerance = Math.max(1e-5, k * Math.pow(2, -23));
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[5 + p * lda + i] : a[5 + i * lda + p];
          double y = transB ? b[5 + j * ldb + p] : b[5 + p * ldb + j];
          sum += x * y;
          magnitude += Math.abs(x * y);
        }
        double old = start[5 + i * ldc + j];
        double expected = beta == 0f ? sum : beta * old + sum;
        double bound = tolerance * (magnitude + Math.abs(beta * old)) + 1e-30;
        double got = c[5 + i * ldc + j];
        assertTrue(
            Math.abs(got - expected) <= bound,
            what + ": c[" + i + "][" + j + "] = " + got + ", expected " + expected + " ± " + bound);
      }
      // the padding between rows is untouched
      for (int j = n; j < ldc && 5 + i * ldc + j < c.length; j++) {
        assertEquals(start[5 + i * ldc + j], c[5 + i * ldc + j], what + ": padding changed");
      }
    }
  }

  private static float[] gaussian(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
