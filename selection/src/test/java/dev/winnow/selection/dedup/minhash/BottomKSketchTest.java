package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BottomKSketchTest {

  @Test
  void estimateIsExactForSetsSmallerThanK() {
    long[][] ab = TestTexts.setsWithOverlap(new SplittableRandom(1), 60, 20, 20);
    BottomKSketch a = BottomKSketch.of(ab[0], 256, 42);
    BottomKSketch b = BottomKSketch.of(ab[1], 256, 42);
    assertEquals(80, a.size());
    assertEquals(Shingler.jaccard(ab[0], ab[1]), a.jaccard(b), 1e-12);
    assertEquals(1.0, a.jaccard(BottomKSketch.of(ab[0], 256, 42)));
  }

  @Test
  void estimateOfLargeSetsIsWithinItsStandardError() {
    // J = 800 / (800 + 200 + 200) = 2/3 over 1,200 elements; k = 256: standard error at most
    // sqrt(J(1-J)/k) = 0.029. Over 200 independent seeds the mean must be within 0.01 and the
    // root-mean-square error below that bound.
    SplittableRandom r = new SplittableRandom(2);
    double sum = 0;
    double sq = 0;
    int trials = 200;
    for (int t = 0; t < trials; t++) {
      long[][] ab = TestTexts.setsWithOverlap(r, 800, 200, 200);
      double est = BottomKSketch.of(ab[0], 256, t).jaccard(BottomKSketch.of(ab[1], 256, t));
      sum += est;
      sq += (est - 2.0 / 3) * (est - 2.0 / 3);
    }
    assertEquals(2.0 / 3, sum / trials, 0.01);
    double rmse = Math.sqrt(sq / trials);
    assertTrue(rmse < Math.sqrt((2.0 / 3) * (1.0 / 3) / 256), "rmse " + rmse);
    assertTrue(rmse > 0.005, "an estimate, not an exact count: rmse " + rmse);
  }

  @Test
  void valuesAreAscendingDistinctAndCappedAtK() {
    long[] set = new long[1000];
    for (int i = 0; i < set.length; i++) {
      set[i] = i * 7919L;
    }
    BottomKSketch s = BottomKSketch.of(set, 64, 42);
    int[] v = s.values();
    assertEquals(64, v.length);
    for (int i = 1; i < v.length; i++) {
      assertTrue(v[i] > v[i - 1]);
    }
    assertEquals(4 + 4 * 64, s.serializedBytes());
    assertThrows(
        IllegalArgumentException.class, () -> BottomKSketch.ofValues(2, new int[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> BottomKSketch.ofValues(8, new int[] {3, 1}));
    assertThrows(IllegalArgumentException.class, () -> BottomKSketch.of(set, 0, 42));
  }

  @Test
  void bucketEntriesWithSketchesRoundTripAndMatchBySketch() throws Exception {
    long[][] ab = TestTexts.setsWithOverlap(new SplittableRandom(3), 900, 50, 50);
    BottomKSketch a = BottomKSketch.of(ab[0], 128, 42);
    BottomKSketch b = BottomKSketch.of(ab[1], 128, 42);
    BandBucket bucket = new BandBucket(4);
    bucket.add(new BandBucket.Entry("a", "a", null, null, a));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bucket.writeTo(new DataOutputStream(bytes));
    assertEquals(4 + bucket.entries().iterator().next().serializedBytes(), bytes.size());
    BandBucket back =
        BandBucket.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 4);
    BandBucket.Entry e = List.copyOf(back.entries()).get(0);
    assertArrayEquals(a.values(), e.sketch().values());
    assertEquals(128, e.sketch().k());
    BandBucket.Match m = back.bestMatch(null, null, b, 0.8, false);
    assertEquals(a.jaccard(b), m.similarity());
    assertThrows(
        IllegalArgumentException.class, () -> new BandBucket.Entry("x", "x", null, null, null));
  }

  @Test
  void indexWithSketchCheckFindsCopiesAndKeepsTheSketchInsteadOfTheSignature() {
    MinHashConfig c = MinHashConfig.datatrove();
    c.sketchSize = 128;
    NearDuplicateIndex index = new NearDuplicateIndex(c);
    SplittableRandom r = new SplittableRandom(9);
    String a = TestTexts.randomText(r, 400);
    assertTrue(index.offer("a", a).kept());
    for (int i = 0; i < 20; i++) {
      assertTrue(index.offer("u" + i, TestTexts.randomText(r, 400)).kept());
    }
    Decision d = index.offer("a-copy", TestTexts.substitute(r, a, 0.01));
    assertInstanceOf(Decision.Duplicate.class, d);
    assertEquals("a", ((Decision.Duplicate) d).duplicateOf());
    // per kept document: 14 band keys + ids + a 128-value sketch (no 112 x 8-byte signature)
    double bytes = index.stats().stateBytesPerKeptDocument();
    assertTrue(bytes > 14 * 8 + 4 * 128 && bytes < 14 * 8 + 4 * 128 + 48, "bytes " + bytes);
  }

  @Test
  void configValidatesTheSketchSize() {
    MinHashConfig c = MinHashConfig.datatrove();
    c.sketchSize = 8;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.validate("nearDedup"));
    assertTrue(e.getMessage().contains("nearDedup.sketchSize value 8"), e.getMessage());
    c.sketchSize = 256;
    assertTrue(c.usesSketchCheck());
    c.exactJaccardCheck = true;
    assertTrue(!c.usesSketchCheck(), "the exact check wins");
  }
}
