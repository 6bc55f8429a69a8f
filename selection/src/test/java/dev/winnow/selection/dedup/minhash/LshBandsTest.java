package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LshBandsTest {

  @Test
  void identicalSignaturesShareEveryBand() {
    LshBands bands = new LshBands(14, 8, 42);
    MinHashSignature sig = new MinHasher(112, 42).signature(new long[] {1, 2, 3});
    assertArrayEquals(bands.keys(sig), bands.keys(new MinHashSignature(sig.values().clone())));
  }

  @Test
  void bandIndexIsFoldedIntoTheKey() {
    // All rows equal: every band has the same content, yet the b keys differ.
    long[] values = new long[12];
    Arrays.fill(values, 77L);
    long[] keys = new LshBands(4, 3, 1).keys(new MinHashSignature(values));
    assertEquals(4, Arrays.stream(keys).distinct().count());
  }

  @Test
  void disjointTextsShareNoBand() {
    MinHashConfig c = MinHashConfig.datatrove();
    Shingler sh = new Shingler(c);
    MinHasher mh = new MinHasher(c);
    LshBands bands = new LshBands(c);
    SplittableRandom r = new SplittableRandom(3);
    Set<Long> seen = new HashSet<>();
    for (int d = 0; d < 200; d++) {
      long[] keys = bands.keys(mh.signature(sh.shingleSet(TestTexts.randomText(r, 300))));
      for (long key : keys) {
        assertEquals(true, seen.add(key), "doc " + d + " collided with an unrelated doc");
      }
    }
  }

  @Test
  void changingOneRowChangesOnlyItsBand() {
    LshBands bands = new LshBands(5, 4, 9);
    long[] v = new SplittableRandom(4).longs(20).toArray();
    long[] w = v.clone();
    w[9]++;
    long[] a = bands.keys(new MinHashSignature(v));
    long[] b = bands.keys(new MinHashSignature(w));
    for (int j = 0; j < 5; j++) {
      if (j == 2) {
        assertNotEquals(a[j], b[j]);
      } else {
        assertEquals(a[j], b[j]);
      }
    }
  }

  /**
   * The share of pairs with exact Jaccard s that become candidates matches 1 − (1 − s^r)^b within 4
   * binomial standard errors.
   */
  @ParameterizedTest
  @CsvSource({"5,4,0.5", "5,4,0.7", "14,8,0.6", "14,8,0.8", "20,13,0.8", "20,13,0.9"})
  void candidateRateFollowsTheBandingCurve(int b, int r, double s) {
    MinHasher mh = new MinHasher(b * r, 11);
    LshBands bands = new LshBands(b, r, 11);
    SplittableRandom rnd = new SplittableRandom(b * 1000L + r + Double.doubleToLongBits(s));
    int union = 400;
    int common = (int) Math.round(s * union);
    int trials = 600;
    int hits = 0;
    for (int t = 0; t < trials; t++) {
      long[][] sets =
          TestTexts.setsWithOverlap(
              rnd, common, (union - common) / 2, union - common - (union - common) / 2);
      long[] ka = bands.keys(mh.signature(sets[0]));
      long[] kb = bands.keys(mh.signature(sets[1]));
      for (int j = 0; j < b; j++) {
        if (ka[j] == kb[j]) {
          hits++;
          break;
        }
      }
    }
    double p = 1 - Math.pow(1 - Math.pow((double) common / union, r), b);
    double se = Math.sqrt(p * (1 - p) / trials);
    assertEquals(
        p, (double) hits / trials, Math.max(4 * se, 0.01), "b=" + b + " r=" + r + " s=" + s);
  }
}
