package dev.winnow.kernels.cpu;

/**
 * Blocked, multithreaded float32 matrix product {@code C = A · B + bias} (or {@code C += ...}),
 * row-major, with {@code B} a {@link PackedMatrix} (in × out, in column panels).
 *
 * <p>Why the loops have this shape: the innermost loop is {@code acc[j] += a · b[j]} over a panel
 * row, which C2 compiles to AVX multiply–adds (a dot-product loop would be a floating-point
 * reduction, which C2 does not vectorize); four rows of {@code A} share each loaded panel row (four
 * accumulators per load); accumulators are per-thread arrays of one panel's width (L1), and the
 * panel stays in L2 while a block of rows streams over it. A task is one (row block, panel) tile;
 * tiles are independent. Each output is summed over {@code k} in the same order whatever the
 * tiling, so results do not depend on the batch a row is in.
 */
final class MatMul {
  static final int ROW_BLOCK = 64;

  private static final ThreadLocal<float[][]> ACCUMULATORS = new ThreadLocal<>();

  private MatMul() {}

  /**
   * {@code c[rows, m] = (accumulate ? c : 0) + a[rows, k] · b + bias}.
   *
   * @param bias length {@code m}, or {@code null}
   */
  static void multiply(
      WorkerPool pool,
      float[] a,
      int rows,
      PackedMatrix b,
      float[] bias,
      float[] c,
      boolean accumulate) {
    int panels = b.panels.length;
    int rowBlock = ROW_BLOCK;
    if (panels < 4 * pool.threads()) {
      // few panels: cut rows finer so every thread has work
      rowBlock =
          Math.max(
              4,
              Math.min(
                  ROW_BLOCK, roundUp4((rows + 2 * pool.threads() - 1) / (2 * pool.threads()))));
    }
    int rowTiles = (rows + rowBlock - 1) / rowBlock;
    final int rb = rowBlock;
    pool.forEach(
        rowTiles * panels,
        task -> {
          int r0 = (task / panels) * rb;
          tile(a, rows, b, task % panels, bias, c, accumulate, r0, Math.min(rows, r0 + rb));
        });
  }

  private static int roundUp4(int n) {
    return (n + 3) & ~3;
  }

  private static float[][] accumulators(int width) {
    float[][] acc = ACCUMULATORS.get();
    if (acc == null || acc[0].length < width) {
      acc = new float[4][Math.max(width, 512)];
      ACCUMULATORS.set(acc);
    }
    return acc;
  }

  /** Rows {@code [r0, r1)} times panel {@code t}. */
  private static void tile(
      float[] a,
      int rows,
      PackedMatrix b,
      int t,
      float[] bias,
      float[] c,
      boolean accumulate,
      int r0,
      int r1) {
    float[][] panel = b.panels[t];
    int k = b.rows;
    int m = b.cols;
    int j0 = t * b.panelWidth;
    int w = panel[0].length;
    float[][] acc = accumulators(w);
    float[] t0 = acc[0];
    float[] t1 = acc[1];
    float[] t2 = acc[2];
    float[] t3 = acc[3];
    int i = r0;
    for (; i + 3 < r1; i += 4) {
      java.util.Arrays.fill(t0, 0, w, 0f);
      java.util.Arrays.fill(t1, 0, w, 0f);
      java.util.Arrays.fill(t2, 0, w, 0f);
      java.util.Arrays.fill(t3, 0, w, 0f);
      int a0 = i * k;
      for (int p = 0; p < k; p++) {
        float x0 = a[a0 + p];
        float x1 = a[a0 + k + p];
        float x2 = a[a0 + 2 * k + p];
        float x3 = a[a0 + 3 * k + p];
        float[] row = panel[p];
        for (int j = 0; j < w; j++) {
          float v = row[j];
          t0[j] += x0 * v;
          t1[j] += x1 * v;
          t2[j] += x2 * v;
          t3[j] += x3 * v;
        }
      }
      store(t0, c, i * m + j0, w, bias, j0, accumulate);
      store(t1, c, (i + 1) * m + j0, w, bias, j0, accumulate);
      store(t2, c, (i + 2) * m + j0, w, bias, j0, accumulate);
      store(t3, c, (i + 3) * m + j0, w, bias, j0, accumulate);
    }
    for (; i < r1; i++) {
      java.util.Arrays.fill(t0, 0, w, 0f);
      int ao = i * k;
      for (int p = 0; p < k; p++) {
        float x = a[ao + p];
        float[] row = panel[p];
        for (int j = 0; j < w; j++) {
          t0[j] += x * row[j];
        }
      }
      store(t0, c, i * m + j0, w, bias, j0, accumulate);
    }
  }

  private static void store(
      float[] acc, float[] c, int co, int w, float[] bias, int j0, boolean accumulate) {
    if (bias != null) {
      for (int j = 0; j < w; j++) {
        acc[j] += bias[j0 + j];
      }
    }
    if (accumulate) {
      for (int j = 0; j < w; j++) {
        c[co + j] += acc[j];
      }
    } else {
      System.arraycopy(acc, 0, c, co, w);
    }
  }
}
