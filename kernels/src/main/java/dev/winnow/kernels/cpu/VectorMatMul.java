package dev.winnow.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatMul}'s tile with the JDK's incubating Vector API: a 4-row × 2-vector block of
 * outputs stays in registers over the whole reduction, so each panel load feeds eight
 * multiply–adds and no accumulator goes through memory (the auto-vectorized scalar tile reloads and
 * stores four accumulator arrays for every panel row, which bounds it by L1 bandwidth).
 *
 * <p>Bit-for-bit the same results as the scalar tile: each output is still {@code 0 + Σ_p a·b} in
 * increasing {@code p}, with a separate multiply and add (no fused multiply–add), then the bias,
 * then the accumulation into {@code c}. Only loaded when the {@code jdk.incubator.vector} module is
 * present ({@code --add-modules jdk.incubator.vector}); see {@link MatMul#VECTORIZED}.
 */
final class VectorMatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMatMul() {
    }

    static boolean useful() {
        return L >= 4;
    }

    /** Rows {@code [r0, r1)} times panel {@code t}; the contract of {@code MatMul.tile}. */
    static void tile(float[] a, PackedMatrix b, int t, float[] bias, float[] c, boolean accumulate, int r0, int r1) {
        float[][] panel = b.panels[t];
        int k = b.rows;
        int m = b.cols;
        int j0 = t * b.panelWidth;
        int w = panel[0].length;
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int a0 = i * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            int j = 0;
            for (; j + 2 * L <= w; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = FloatVector.zero(S);
                FloatVector c10 = FloatVector.zero(S);
                FloatVector c11 = FloatVector.zero(S);
                FloatVector c20 = FloatVector.zero(S);
                FloatVector c21 = FloatVector.zero(S);
                FloatVector c30 = FloatVector.zero(S);
                FloatVector c31 = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    float[] row = panel[p];
                    FloatVector v0 = FloatVector.fromArray(S, row, j);
                    FloatVector v1 = FloatVector.fromArray(S, row, j + L);
                    float x0 = a[a0 + p];
                    float x1 = a[a1 + p];
                    float x2 = a[a2 + p];
                    float x3 = a[a3 + p];
                    c00 = c00.add(v0.mul(x0));
                    c01 = c01.add(v1.mul(x0));
                    c10 = c10.add(v0.mul(x1));
                    c11 = c11.add(v1.mul(x1));
                    c20 = c20.add(v0.mul(x2));
                    c21 = c21.add(v1.mul(x2));
                    c30 = c30.add(v0.mul(x3));
                    c31 = c31.add(v1.mul(x3));
                }
                store(c00, c, i * m + j0 + j, bias, j0 + j, accumulate);
                store(c01, c, i * m + j0 + j + L, bias, j0 + j + L, accumulate);
                store(c10, c, (i + 1) * m + j0 + j, bias, j0 + j, accumulate);
                store(c11, c, (i + 1) * m + j0 + j + L, bias, j0 + j + L, accumulate);
                store(c20, c, (i + 2) * m + j0 + j, bias, j0 + j, accumulate);
                store(c21, c, (i + 2) * m + j0 + j + L, bias, j0 + j + L, accumulate);
                store(c30, c, (i + 3) * m + j0 + j, bias, j0 + j, accumulate);
                store(c31, c, (i + 3) * m + j0 + j + L, bias, j0 + j + L, accumulate);
            }
            for (; j < w; j++) {
                for (int r = 0; r < 4; r++) {
                    scalar(a, (i + r) * k, panel, k, j, c, (i + r) * m + j0 + j, bias, j0 + j, accumulate);
                }
            }
        }
        for (; i < r1; i++) {
            int ao = i * k;
            int j = 0;
            for (; j + 2 * L <= w; j += 2 * L) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    float[] row = panel[p];
                    float x = a[ao + p];
                    c0 = c0.add(FloatVector.fromArray(S, row, j).mul(x));
                    c1 = c1.add(FloatVector.fromArray(S, row, j + L).mul(x));
                }
                store(c0, c, i * m + j0 + j, bias, j0 + j, accumulate);
                store(c1, c, i * m + j0 + j + L, bias, j0 + j + L, accumulate);
            }
            for (; j < w; j++) {
                scalar(a, ao, panel, k, j, c, i * m + j0 + j, bias, j0 + j, accumulate);
            }
        }
    }

    private static void store(FloatVector acc, float[] c, int co, float[] bias, int bo, boolean accumulate) {
        if (bias != null) {
            acc = acc.add(FloatVector.fromArray(S, bias, bo));
        }
        if (accumulate) {
            acc = FloatVector.fromArray(S, c, co).add(acc);
        }
        acc.intoArray(c, co);
    }

    private static void scalar(float[] a, int ao, float[][] panel, int k, int j, float[] c, int co, float[] bias,
            int bo, boolean accumulate) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
            s += a[ao + p] * panel[p][j];
        }
        if (bias != null) {
            s += bias[bo];
        }
        if (accumulate) {
            c[co] += s;
        } else {
            c[co] = s;
        }
    }
}
