package dev.winnow.kernels.cpu;

/**
 * Blocked, multithreaded float32 matrix product {@code C = A · B + bias} (or {@code C += ...}),
 * all row-major, with {@code B} in × out.
 *
 * <p>Why the loops have this shape: the innermost loop is {@code c[j] += a · b[j]} over contiguous
 * {@code j}, which HotSpot's C2 compiles to AVX fused multiply–adds (a dot-product loop would be a
 * floating-point reduction, which C2 does not vectorize). Four rows of {@code A} share each loaded
 * row of {@code B} (register reuse), a tile of {@link #COL_BLOCK} columns keeps the four output rows
 * in L1, and {@link #DEPTH_BLOCK} rows of {@code B} × {@link #COL_BLOCK} columns (256 KiB) stay in
 * L2 while a block of {@link #ROW_BLOCK} rows streams over them. Tiles of C are independent tasks.
 */
final class MatMul {
    static final int ROW_BLOCK = 64;
    static final int COL_BLOCK = 256;
    static final int DEPTH_BLOCK = 256;

    private MatMul() {
    }

    /**
     * {@code c[rows, m] = (accumulate ? c : 0) + a[rows, k] · b[k, m] + bias}.
     *
     * @param bias length {@code m}, or {@code null}
     */
    static void multiply(WorkerPool pool, float[] a, int rows, int k, float[] b, int m, float[] bias, float[] c,
            boolean accumulate) {
        int colBlock = Math.min(COL_BLOCK, m);
        int colTiles = (m + colBlock - 1) / colBlock;
        // enough tasks to keep every thread busy even for short inputs
        int rowBlock = Math.max(4, Math.min(ROW_BLOCK, roundUp4((rows + pool.threads() - 1) / pool.threads())));
        if (colTiles >= 4 * pool.threads()) {
            rowBlock = ROW_BLOCK;
        }
        int rowTiles = (rows + rowBlock - 1) / rowBlock;
        final int rb = rowBlock;
        pool.forEach(rowTiles * colTiles, task -> {
            int r0 = (task / colTiles) * rb;
            int j0 = (task % colTiles) * colBlock;
            tile(a, k, b, m, bias, c, accumulate, r0, Math.min(rows, r0 + rb), j0, Math.min(m, j0 + colBlock));
        });
    }

    private static int roundUp4(int n) {
        return (n + 3) & ~3;
    }

    /** One tile: rows {@code [r0, r1)}, columns {@code [j0, j1)}. */
    static void tile(float[] a, int k, float[] b, int m, float[] bias, float[] c, boolean accumulate,
            int r0, int r1, int j0, int j1) {
        for (int i = r0; i < r1; i++) {
            int co = i * m;
            if (!accumulate) {
                if (bias == null) {
                    java.util.Arrays.fill(c, co + j0, co + j1, 0f);
                } else {
                    System.arraycopy(bias, j0, c, co + j0, j1 - j0);
                }
            } else if (bias != null) {
                for (int j = j0; j < j1; j++) {
                    c[co + j] += bias[j];
                }
            }
        }
        for (int k0 = 0; k0 < k; k0 += DEPTH_BLOCK) {
            int k1 = Math.min(k, k0 + DEPTH_BLOCK);
            int i = r0;
            for (; i + 3 < r1; i += 4) {
                kernel4(a, k, b, m, c, i, k0, k1, j0, j1);
            }
            for (; i < r1; i++) {
                kernel1(a, k, b, m, c, i, k0, k1, j0, j1);
            }
        }
    }

    private static void kernel4(float[] a, int k, float[] b, int m, float[] c, int i, int k0, int k1, int j0,
            int j1) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int c0 = i * m;
        int c1 = c0 + m;
        int c2 = c1 + m;
        int c3 = c2 + m;
        for (int p = k0; p < k1; p++) {
            float x0 = a[a0 + p];
            float x1 = a[a1 + p];
            float x2 = a[a2 + p];
            float x3 = a[a3 + p];
            int bo = p * m;
            for (int j = j0; j < j1; j++) {
                float w = b[bo + j];
                c[c0 + j] += x0 * w;
                c[c1 + j] += x1 * w;
                c[c2 + j] += x2 * w;
                c[c3 + j] += x3 * w;
            }
        }
    }

    private static void kernel1(float[] a, int k, float[] b, int m, float[] c, int i, int k0, int k1, int j0,
            int j1) {
        int ao = i * k;
        int co = i * m;
        for (int p = k0; p < k1; p++) {
            float x = a[ao + p];
            int bo = p * m;
            for (int j = j0; j < j1; j++) {
                c[co + j] += x * b[bo + j];
            }
        }
    }
}
