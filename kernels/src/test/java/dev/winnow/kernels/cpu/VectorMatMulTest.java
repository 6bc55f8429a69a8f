package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorized tile gives the scalar tile's results bit for bit, on every shape edge. */
class VectorMatMulTest {

    @Test
    void sameBitsAsTheScalarTile() {
        assumeTrue(MatMul.VECTORIZED, "the JVM runs without --add-modules jdk.incubator.vector: nothing to compare");
        Random random = new Random(7);
        int[][] shapes = {{1, 3, 5}, {4, 16, 16}, {7, 128, 384}, {13, 33, 77}, {64, 128, 512}, {5, 128, 50257}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int k = shape[1];
            int m = shape[2];
            float[] a = randoms(random, rows * k);
            PackedMatrix b = PackedMatrix.pack(randoms(random, k * m), k, m);
            float[] bias = randoms(random, m);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] start = randoms(random, rows * m);
                float[] scalar = start.clone();
                float[] vector = start.clone();
                for (int t = 0; t < b.panels.length; t++) {
                    MatMul.scalarTile(a, rows, b, t, bias, scalar, accumulate, 0, rows);
                    VectorMatMul.tile(a, b, t, bias, vector, accumulate, 0, rows);
                }
                assertArrayEquals(scalar, vector, "rows " + rows + ", k " + k + ", m " + m + ", accumulate " + accumulate);
            }
        }
    }

    private static float[] randoms(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
