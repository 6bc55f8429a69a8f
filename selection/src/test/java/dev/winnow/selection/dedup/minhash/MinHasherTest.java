package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MinHasherTest {

  private final MinHasher hasher = new MinHasher(256, 7);

  @Test
  void identicalSetsHaveIdenticalSignatures() {
    long[][] s = TestTexts.setsWithOverlap(new SplittableRandom(1), 300, 0, 0);
    assertEquals(hasher.signature(s[0]), hasher.signature(s[1]));
    assertEquals(1.0, hasher.signature(s[0]).jaccardEstimate(hasher.signature(s[1])));
  }

  @Test
  void disjointSetsAgreeNowhere() {
    long[][] s = TestTexts.setsWithOverlap(new SplittableRandom(2), 0, 300, 300);
    assertEquals(0.0, hasher.signature(s[0]).jaccardEstimate(hasher.signature(s[1])));
  }

  @Test
  void duplicatesInTheInputChangeNothing() {
    long[] set = {5, 9, 11};
    assertEquals(hasher.signature(set), hasher.signature(new long[] {11, 5, 9, 5, 11}));
  }

  @Test
  void seedChangesThePermutations() {
    long[] set = {1, 2, 3, 4};
    assertTrue(!new MinHasher(16, 1).signature(set).equals(new MinHasher(16, 2).signature(set)));
  }

  @Test
  void emptySetHasNoSignature() {
    assertThrows(IllegalArgumentException.class, () -> hasher.signature(new long[0]));
  }

  /**
   * For pairs of known exact Jaccard J the estimate is unbiased with standard error sqrt(J(1-J)/k):
   * each pair's error stays within 3.5 standard errors (fixed seeds, so no flakiness), and the mean
   * error over 40 pairs stays within 4 standard errors of the mean.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95})
  void estimateWithinExpectedErrorForKnownJaccard(double j) {
    SplittableRandom r = new SplittableRandom(Double.doubleToLongBits(j));
    int k = hasher.numPermutations();
    int union = 1000;
    int common = (int) Math.round(j * union);
    int onlyA = (union - common) / 2;
    int onlyB = union - common - onlyA;
    double exact = (double) common / union;
    double se = Math.sqrt(exact * (1 - exact) / k);
    double sumError = 0;
    int trials = 40;
    for (int t = 0; t < trials; t++) {
      long[][] s = TestTexts.setsWithOverlap(r, common, onlyA, onlyB);
      assertEquals(exact, Shingler.jaccard(s[0], s[1]), 1e-12);
      double est = hasher.signature(s[0]).jaccardEstimate(hasher.signature(s[1]));
      assertEquals(exact, est, 3.5 * se, "trial " + t);
      sumError += est - exact;
    }
    assertEquals(0.0, sumError / trials, 4 * se / Math.sqrt(trials), "mean error (bias)");
  }

  @Test
  void differentLengthSignaturesAreRejected() {
    MinHashSignature a = new MinHasher(8, 1).signature(new long[] {1});
    MinHashSignature b = new MinHasher(9, 1).signature(new long[] {1});
    assertThrows(IllegalArgumentException.class, () -> a.jaccardEstimate(b));
  }
}
