package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OnePermutationSketchTest {

  @Test
  void identicalSetsAreSimilarityOneAndDisjointNearZero() {
    long[][] ab = TestTexts.setsWithOverlap(new SplittableRandom(3), 0, 700, 700);
    OnePermutationSketch a = OnePermutationSketch.of(ab[0], 256, 2, 42);
    assertEquals(1.0, a.jaccard(OnePermutationSketch.of(ab[0], 256, 2, 42)));
    double disjoint = a.jaccard(OnePermutationSketch.of(ab[1], 256, 2, 42));
    assertTrue(disjoint < 0.12, "disjoint sets: " + disjoint);
    assertEquals(64, a.packed().length);
  }

  @Test
  void estimateOfLargeSetsIsWithinItsStandardError() {
    // J = 800 / 1200 = 2/3; K = 256, b = 2, C = 1/3: P = J + (1 - J) C = 7/9, standard error
    // about sqrt(P (1 - P) / K) / (1 - C) = 0.039. Over 200 seeds the mean must be within 0.01
    // (unbiased after the collision correction) and the RMSE near that bound.
    SplittableRandom r = new SplittableRandom(2);
    double sum = 0;
    double sq = 0;
    int trials = 200;
    for (int t = 0; t < trials; t++) {
      long[][] ab = TestTexts.setsWithOverlap(r, 800, 200, 200);
      double est =
          OnePermutationSketch.of(ab[0], 256, 2, t)
              .jaccard(OnePermutationSketch.of(ab[1], 256, 2, t));
      sum += est;
      sq += (est - 2.0 / 3) * (est - 2.0 / 3);
    }
    assertEquals(2.0 / 3, sum / trials, 0.01);
    double rmse = Math.sqrt(sq / trials);
    assertTrue(rmse < 0.039 * 1.15, "rmse " + rmse);
    assertTrue(rmse > 0.01, "an estimate, not an exact count: rmse " + rmse);
  }

  @Test
  void smallSetsLeaveBinsEmptyAndStillEstimate() {
    // 60 + 20 + 20 elements in 256 bins: most bins empty in both, which the estimate skips.
    SplittableRandom r = new SplittableRandom(5);
    double sum = 0;
    for (int t = 0; t < 100; t++) {
      long[][] ab = TestTexts.setsWithOverlap(r, 60, 20, 20);
      sum +=
          OnePermutationSketch.of(ab[0], 256, 4, t)
              .jaccard(OnePermutationSketch.of(ab[1], 256, 4, t));
    }
    assertEquals(0.6, sum / 100, 0.03);
  }

  @Test
  void packedRoundTripsAndCodesAreZeroOnlyForEmptyBins() {
    long[][] ab = TestTexts.setsWithOverlap(new SplittableRandom(7), 30, 0, 0);
    for (int bits : new int[] {2, 4, 8}) {
      OnePermutationSketch s = OnePermutationSketch.of(ab[0], 64, bits, 1);
      OnePermutationSketch back = OnePermutationSketch.ofPacked(64, bits, s.packed());
      assertEquals(s, back);
      int nonEmpty = 0;
      for (int i = 0; i < 64; i++) {
        assertTrue(s.code(i) < (1 << bits));
        nonEmpty += s.code(i) != 0 ? 1 : 0;
      }
      assertTrue(nonEmpty > 15 && nonEmpty <= 30, "non-empty bins " + nonEmpty);
    }
  }

  @Test
  void badSettingsAreRefused() {
    long[] one = {1L};
    assertThrows(IllegalArgumentException.class, () -> OnePermutationSketch.of(one, 256, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> OnePermutationSketch.of(one, 100, 2, 1));
    OnePermutationSketch a = OnePermutationSketch.of(one, 256, 2, 1);
    OnePermutationSketch b = OnePermutationSketch.of(one, 512, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> a.jaccard(b));
    assertThrows(
        IllegalArgumentException.class, () -> OnePermutationSketch.ofPacked(256, 2, new byte[8]));
  }
}
