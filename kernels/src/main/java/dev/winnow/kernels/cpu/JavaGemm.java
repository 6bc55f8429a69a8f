package dev.winnow.kernels.cpu;

import java.util.Arrays;

/**
 * The pure-Java {@link MatrixProducts#gemm}: {@code c = beta·c + op(a) · op(b)} on the calling
 * thread.
 *
 * <p>The inner loop is {@code acc[j] += a_ip · b[p][j]} over a row of {@code op(b)}, which C2 turns
 * into AVX multiply–adds, with four rows of {@code op(a)} sharing each loaded row (as in {@link
 * MatMul}). A transposed {@code b} is first copied, one panel of at most {@value #PANEL} output
 * columns at a time, into a per-thread {@code [k, panel]} buffer, so that the inner loop reads it
 * contiguously; a transposed {@code a} is read with a stride, which costs nothing measurable next
 * to the {@code n} multiply-adds done per element read.
 */
public final class JavaGemm {
  /** Rows per task of {@link MatrixProducts#parallelGemm}. */
  public static final int TILE_ROWS = 64;

  /** Columns per task of {@link MatrixProducts#parallelGemm}. */
  public static final int TILE_COLS = 256;

  /** Output columns per accumulator panel (accumulators stay in L1). */
  static final int PANEL = 256;

  private static final ThreadLocal<float[][]> BUFFERS = new ThreadLocal<>();

  private JavaGemm() {}

  /** See {@link MatrixProducts#gemm}. */
  public static void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    checkShapes(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    // element (i, p) of op(a) is a[aOffset + i·ai + p·ap]
    int ai = transA ? 1 : lda;
    int ap = transA ? lda : 1;
    for (int j0 = 0; j0 < n; j0 += PANEL) {
      int w = Math.min(PANEL, n - j0);
      float[][] buf = buffers(transB ? k * w : 0, w);
      float[] panel;
      int po;
      int pstride;
      if (transB) {
        panel = buf[4];
        for (int j = 0; j < w; j++) {
          int bo = bOffset + (j0 + j) * ldb;
          for (int p = 0; p < k; p++) {
            panel[p * w + j] = b[bo + p];
          }
        }
        po = 0;
        pstride = w;
      } else {
        panel = b;
        po = bOffset + j0;
        pstride = ldb;
      }
      float[] t0 = buf[0];
      float[] t1 = buf[1];
      float[] t2 = buf[2];
      float[] t3 = buf[3];
      int i = 0;
      for (; i + 3 < m; i += 4) {
        Arrays.fill(t0, 0, w, 0f);
        Arrays.fill(t1, 0, w, 0f);
        Arrays.fill(t2, 0, w, 0f);
        Arrays.fill(t3, 0, w, 0f);
        int a0 = aOffset + i * ai;
        for (int p = 0; p < k; p++) {
          int ao = a0 + p * ap;
          float x0 = a[ao];
          float x1 = a[ao + ai];
          float x2 = a[ao + 2 * ai];
          float x3 = a[ao + 3 * ai];
          int ro = po + p * pstride;
          for (int j = 0; j < w; j++) {
            float v = panel[ro + j];
            t0[j] += x0 * v;
            t1[j] += x1 * v;
            t2[j] += x2 * v;
            t3[j] += x3 * v;
          }
        }
        store(t0, w, beta, c, cOffset + i * ldc + j0);
        store(t1, w, beta, c, cOffset + (i + 1) * ldc + j0);
        store(t2, w, beta, c, cOffset + (i + 2) * ldc + j0);
        store(t3, w, beta, c, cOffset + (i + 3) * ldc + j0);
      }
      for (; i < m; i++) {
        Arrays.fill(t0, 0, w, 0f);
        int a0 = aOffset + i * ai;
        for (int p = 0; p < k; p++) {
          float x = a[a0 + p * ap];
          int ro = po + p * pstride;
          for (int j = 0; j < w; j++) {
            t0[j] += x * panel[ro + j];
          }
        }
        store(t0, w, beta, c, cOffset + i * ldc + j0);
      }
    }
  }

  private static void store(float[] acc, int w, float beta, float[] c, int co) {
    if (beta == 0f) {
      System.arraycopy(acc, 0, c, co, w);
    } else if (beta == 1f) {
      for (int j = 0; j < w; j++) {
        c[co + j] += acc[j];
      }
    } else {
      for (int j = 0; j < w; j++) {
        c[co + j] = beta * c[co + j] + acc[j];
      }
    }
  }

  /** Four accumulator rows of {@code width}, then the transposed-panel buffer of {@code panel}. */
  private static float[][] buffers(int panel, int width) {
    float[][] b = BUFFERS.get();
    if (b == null || b[0].length < width || b[4].length < panel) {
      int w = Math.max(width, b == null ? PANEL : b[0].length);
      int p = Math.max(panel, b == null ? 0 : b[4].length);
      b = new float[][] {new float[w], new float[w], new float[w], new float[w], new float[p]};
      BUFFERS.set(b);
    }
    return b;
  }

  /**
   * Checks that every stored element the product reads or writes lies inside its array.
   *
   * @throws IllegalArgumentException naming the operand, its shape and what is wrong
   */
  static void checkShapes(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float[] c,
      int cOffset,
      int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "illegal gemm shape m=" + m + ", n=" + n + ", k=" + k + ": sizes must be ≥ 0");
    }
    check("a", a, aOffset, lda, transA ? k : m, transA ? m : k);
    check("b", b, bOffset, ldb, transB ? n : k, transB ? k : n);
    check("c", c, cOffset, ldc, m, n);
  }

  private static void check(String name, float[] x, int offset, int ld, int rows, int cols) {
    if (rows == 0 || cols == 0) {
      return;
    }
    if (ld < cols) {
      throw new IllegalArgumentException(
          "gemm operand "
              + name
              + ": leading dimension "
              + ld
              + " is less than its stored width "
              + cols
              + "; pass the row length of the array it lives in");
    }
    long last = offset + (long) (rows - 1) * ld + cols;
    if (offset < 0 || last > x.length) {
      throw new IllegalArgumentException(
          "gemm operand "
              + name
              + ": a stored "
              + rows
              + " × "
              + cols
              + " matrix at offset "
              + offset
              + " with leading dimension "
              + ld
              + " needs "
              + last
              + " values, the array has "
              + x.length);
    }
  }
}
