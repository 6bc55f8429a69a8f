package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NextTokenHeadTest {

  @Test
  void fastExpIsWithinTenMillionthsOfMathExpWhereTermsMatter() {
    int n = 200_001;
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = -80f * i / (n - 1); // 0 down to -80
    }
    float[] e = z.clone();
    NextTokenHead.expShifted(e, n, 0f);
    assertEquals(1f, e[0]);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double exact = Math.exp(z[i]);
      if (z[i] >= -40) {
        worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
      } else {
        // terms below e^-40 of the largest: only their absolute size matters to the sum
        assertTrue(Math.abs(e[i] - exact) < 1e-20, "at " + z[i]);
      }
    }
    assertTrue(worst < 1e-5, "worst relative error " + worst);
  }

  @Test
  void logSumExpMatchesDoublePrecisionOnVocabularySizedLogits() {
    Random random = new Random(3);
    for (double spread : new double[] {0.5, 3, 12}) {
      float[] z = new float[50257];
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) (random.nextGaussian() * spread);
        max = Math.max(max, z[i]);
      }
      double exact = 0;
      for (float v : z) {
        exact += Math.exp(v - max);
      }
      float[] e = z.clone();
      NextTokenHead.expShifted(e, e.length, max);
      assertEquals(
          Math.log(exact), Math.log(NextTokenHead.sum(e, e.length)), 1e-6, "spread " + spread);
    }
  }
}
