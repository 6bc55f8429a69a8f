package dev.winnow.selection.ccnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerplexityBucketsTest {

  @Test
  void cutsAreTheThirtiethAndSixtiethPercentilesLikeNumpy() {
    double[] sample = new double[11];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = 100 + 10 * (10 - i); // 200, 190, ..., 100, unsorted on purpose
    }
    PerplexityBuckets b = PerplexityBuckets.fit(new PerplexityBucketsConfig(), sample);
    // numpy.percentile([100..200 step 10], 30) = 130, 60 → 160
    assertEquals(130.0, b.headCut(), 1e-12);
    assertEquals(160.0, b.tailCut(), 1e-12);
    assertEquals(PerplexityBucket.HEAD, b.bucket(130.0));
    assertEquals(PerplexityBucket.MIDDLE, b.bucket(130.0001));
    assertEquals(PerplexityBucket.MIDDLE, b.bucket(160.0));
    assertEquals(PerplexityBucket.TAIL, b.bucket(160.5));
    assertEquals(PerplexityBucket.TAIL, b.bucket(Double.NaN));
    assertEquals(12.5, PerplexityBuckets.percentile(new double[] {10, 20}, 0.25), 1e-12);
  }

  @Test
  void learnedCutsSplitALargeSampleThirtyThirtyForty() {
    Random r = new Random(5);
    double[] sample = new double[100_000];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = Math.exp(3 + r.nextGaussian());
    }
    PerplexityBuckets b = PerplexityBuckets.fit(new PerplexityBucketsConfig(), sample);
    Map<PerplexityBucket, Integer> n = new EnumMap<>(PerplexityBucket.class);
    for (double v : sample) {
      n.merge(b.bucket(v), 1, Integer::sum);
    }
    assertEquals(30_000, n.get(PerplexityBucket.HEAD), 2);
    assertEquals(30_000, n.get(PerplexityBucket.MIDDLE), 2);
    assertEquals(40_000, n.get(PerplexityBucket.TAIL), 2);
  }

  @Test
  void givenCutsWinAndBadConfigsAreNamed() {
    PerplexityBucketsConfig c = new PerplexityBucketsConfig();
    c.headCut = 50;
    c.tailCut = 80;
    PerplexityBuckets b = PerplexityBuckets.fit(c, new double[0]);
    assertEquals(new PerplexityBuckets(50, 80), b);
    c.tailCut = Double.NaN;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.validate("ccnet"));
    assertTrue(e.getMessage().contains("both headCut and tailCut"), e.getMessage());
    PerplexityBucketsConfig p = new PerplexityBucketsConfig();
    p.headPercentile = 0.7;
    assertThrows(IllegalArgumentException.class, () -> p.validate("ccnet"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PerplexityBuckets.fit(new PerplexityBucketsConfig(), new double[] {Double.NaN}));
  }
}
