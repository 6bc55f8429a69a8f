package dev.winnow.selection.dedup.minhash;

import java.util.Arrays;

/**
 * A bottom-k sketch of a shingle-hash set: the k smallest values of one hash function over the set,
 * kept as 32-bit values (4 bytes each). Used to verify LSH candidates when the exact shingle sets
 * are too big to keep in state.
 *
 * <p>Jaccard estimate (Broder 1997, §4; Cohen and Kaplan 2007): let S be the k smallest values of
 * sketch(A) ∪ sketch(B); every element of S is among the k smallest of A ∪ B, so it lies in A
 * exactly when it lies in sketch(A). Then
 *
 * <pre>  Ĵ = |S ∩ sketch(A) ∩ sketch(B)| / |S|,</pre>
 *
 * a sample of |S| = min(k, |A ∪ B|) elements drawn without replacement from A ∪ B, so its standard
 * error is at most √(J(1−J)/k), and smaller (finite-population correction √(1 − k/|A ∪ B|)) for
 * sets of a few k elements; for sets of fewer than k shingles the estimate is exact. Unlike a
 * k-permutation MinHash signature, it costs one hash per shingle plus a sort, not k hashes per
 * shingle, so a sketch several times longer than the LSH signature is cheap to compute.
 *
 * <p>Values are the high 32 bits of the SplitMix64 finalizer of (shingle XOR a seed derived from
 * the config's seed), with the sign bit flipped so that signed {@code int} order is unsigned order.
 * Two shingles colliding in 32 bits (probability about n²/2³³ per document of n shingles) count as
 * one, a negligible bias. Immutable.
 */
public final class BottomKSketch {

  private static final long SEED_MIX = 0x5851f42d4c957f2dL;

  private final int k;
  private final int[] values;

  private BottomKSketch(int k, int[] values) {
    this.k = k;
    this.values = values;
  }

  /**
   * The sketch of a shingle-hash set.
   *
   * @param shingles shingle hashes (any order; duplicates allowed)
   * @param k sketch size, at least 1
   * @param seed the MinHash config's seed
   */
  public static BottomKSketch of(long[] shingles, int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException(
          "illegal bottom-k sketch size " + k + ": must be at least 1");
    }
    long s = mix(seed ^ SEED_MIX);
    int[] h = new int[shingles.length];
    for (int i = 0; i < shingles.length; i++) {
      h[i] = (int) (mix(shingles[i] ^ s) >>> 32) ^ Integer.MIN_VALUE;
    }
    Arrays.sort(h);
    int n = 0;
    for (int i = 0; i < h.length && n < k; i++) {
      if (n == 0 || h[i] != h[n - 1]) {
        h[n++] = h[i];
      }
    }
    return new BottomKSketch(k, Arrays.copyOf(h, n));
  }

  /** A sketch from its stored values (ascending, distinct, as {@link #values()} returns them). */
  public static BottomKSketch ofValues(int k, int[] values) {
    if (values.length > k) {
      throw new IllegalArgumentException(
          "a bottom-" + k + " sketch cannot hold " + values.length + " values");
    }
    for (int i = 1; i < values.length; i++) {
      if (values[i] <= values[i - 1]) {
        throw new IllegalArgumentException(
            "bottom-k sketch values must be ascending and distinct, at index " + i);
      }
    }
    return new BottomKSketch(k, values.clone());
  }

  /** The sketch size k it was built with. */
  public int k() {
    return k;
  }

  /** Number of values held: min(k, number of distinct shingles). */
  public int size() {
    return values.length;
  }

  /** The values, ascending (a copy). */
  public int[] values() {
    return values.clone();
  }

  /** Bytes in a serialized form: a count and 4 bytes per value. */
  public int serializedBytes() {
    return 4 + 4 * values.length;
  }

  /**
   * Estimated Jaccard similarity with {@code other} (see the class comment); sketches of different
   * k compare at the smaller k. Two empty sketches have similarity 0.
   */
  public double jaccard(BottomKSketch other) {
    int limit = Math.min(k, other.k);
    int[] a = values;
    int[] b = other.values;
    int i = 0;
    int j = 0;
    int taken = 0;
    int both = 0;
    // Merge the two ascending lists, taking the union's smallest values until k are taken.
    while (taken < limit && (i < a.length || j < b.length)) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) {
        i++;
      } else if (i >= a.length || b[j] < a[i]) {
        j++;
      } else {
        i++;
        j++;
        both++;
      }
      taken++;
    }
    return taken == 0 ? 0 : (double) both / taken;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
