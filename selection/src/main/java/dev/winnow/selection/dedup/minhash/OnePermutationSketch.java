package dev.winnow.selection.dedup.minhash;

import java.util.Arrays;

/**
 * A b-bit one-permutation MinHash sketch of a shingle-hash set: small enough to keep once per kept
 * document in the streaming stage's keyed state (64 bytes for the defaults, 256 bins of 2 bits).
 *
 * <p>One-permutation hashing (Li, Owen and Zhang, <i>One Permutation Hashing</i>, NIPS 2012): one
 * 64-bit hash per shingle; its high 32 bits pick one of K equal bins, its low 32 bits compete for
 * the bin's minimum. Two sets agree in a bin that is non-empty for both with probability J, so
 * {@code Ĵ = matches / (K − bins empty in both)}. b-bit minwise hashing (Li and König, <i>b-Bit
 * Minwise Hashing</i>, WWW 2010) keeps only a b-bit code of each minimum: here code 0 marks an
 * empty bin and a non-empty bin gets {@code 1 + (min mod (2^b − 1))}, so two different minima
 * collide with probability C = 1/(2^b − 1), and with n₂ bins non-empty in both, m of them with
 * equal codes and n bins non-empty in at least one,
 *
 * <pre>  Ĵ = ((m − C·n₂) / (1 − C)) / n,   clamped to [0, 1].</pre>
 *
 * Its standard error is about √(P(1−P)/n) / (1 − C) with P = J + (1 − J)·C: at J = 0.8 with K = 256
 * and b = 2 that is 0.032, against 0.025 for a 1,028-byte bottom-256 sketch ({@link BottomKSketch})
 * and 0.038 for a full 896-byte 112-permutation signature. For fixed bytes, fewer bits per bin and
 * more bins give the lower error at high similarity (Li and König's finding for b = 1), but b = 1
 * leaves no room for the empty-bin code.
 *
 * <p>The hash is the SplitMix64 finalizer of (shingle XOR a seed derived from the config's seed),
 * independent of the LSH signature's permutations. Immutable.
 */
public final class OnePermutationSketch {

  /** Bins of the streaming stage's sketch. */
  public static final int DEFAULT_BINS = 256;

  /** Bits per bin of the streaming stage's sketch. */
  public static final int DEFAULT_BITS = 2;

  private static final long SEED_MIX = 0x2545f4914f6cdd1dL;

  private final int bins;
  private final int bits;
  private final byte[] packed;

  private OnePermutationSketch(int bins, int bits, byte[] packed) {
    this.bins = bins;
    this.bits = bits;
    this.packed = packed;
  }

  /** Bytes of a packed sketch of {@code bins} bins of {@code bits} bits. */
  public static int packedBytes(int bins, int bits) {
    check(bins, bits);
    return bins * bits / 8;
  }

  /**
   * The sketch of a shingle-hash set.
   *
   * @param shingles shingle hashes (any order; duplicates allowed)
   * @param bins K, a multiple of 8 in [8, 65536]
   * @param bits b per bin: 2, 4 or 8
   * @param seed the MinHash config's seed
   */
  public static OnePermutationSketch of(long[] shingles, int bins, int bits, long seed) {
    check(bins, bits);
    long s = mix(seed ^ SEED_MIX);
    int[] min = new int[bins];
    boolean[] filled = new boolean[bins];
    for (long shingle : shingles) {
      long h = mix(shingle ^ s);
      int bin = (int) (((h >>> 32) * bins) >>> 32);
      int v = (int) h;
      if (!filled[bin] || Integer.compareUnsigned(v, min[bin]) < 0) {
        min[bin] = v;
        filled[bin] = true;
      }
    }
    int codes = (1 << bits) - 1;
    byte[] packed = new byte[bins * bits / 8];
    for (int i = 0; i < bins; i++) {
      if (filled[i]) {
        int code = 1 + Integer.remainderUnsigned(min[i], codes);
        int bit = i * bits;
        packed[bit >>> 3] |= (byte) (code << (bit & 7));
      }
    }
    return new OnePermutationSketch(bins, bits, packed);
  }

  /** A sketch from its packed bytes, as {@link #packed()} returns them. */
  public static OnePermutationSketch ofPacked(int bins, int bits, byte[] packed) {
    check(bins, bits);
    if (packed.length != bins * bits / 8) {
      throw new IllegalArgumentException(
          "a sketch of "
              + bins
              + " bins of "
              + bits
              + " bits packs into "
              + (bins * bits / 8)
              + " bytes, got "
              + packed.length);
    }
    return new OnePermutationSketch(bins, bits, packed.clone());
  }

  public int bins() {
    return bins;
  }

  public int bits() {
    return bits;
  }

  /** The packed codes, bin 0 in the low bits of byte 0 (a copy). */
  public byte[] packed() {
    return packed.clone();
  }

  /** The code of bin {@code i}: 0 when empty. */
  public int code(int i) {
    return code(packed, i, bits);
  }

  /**
   * Estimated Jaccard similarity with {@code other} (see the class comment); 0 when both are empty.
   *
   * @throws IllegalArgumentException when the two have different bins or bits
   */
  public double jaccard(OnePermutationSketch other) {
    if (other.bins != bins || other.bits != bits) {
      throw new IllegalArgumentException(
          "cannot compare a sketch of "
              + bins
              + " x "
              + bits
              + " bits with one of "
              + other.bins
              + " x "
              + other.bits
              + " (both sides must come from the same settings)");
    }
    return jaccard(packed, other.packed, bins, bits);
  }

  /** {@link #jaccard(OnePermutationSketch)} on packed bytes, without copying them. */
  public static double jaccard(byte[] a, byte[] b, int bins, int bits) {
    int either = 0;
    int both = 0;
    int equal = 0;
    for (int i = 0; i < bins; i++) {
      int ca = code(a, i, bits);
      int cb = code(b, i, bits);
      if (ca == 0 && cb == 0) {
        continue;
      }
      either++;
      if (ca != 0 && cb != 0) {
        both++;
        equal += ca == cb ? 1 : 0;
      }
    }
    if (either == 0) {
      return 0;
    }
    double c = 1.0 / ((1 << bits) - 1);
    double matches = (equal - c * both) / (1 - c);
    return Math.max(0, Math.min(1, matches / either));
  }

  private static int code(byte[] packed, int i, int bits) {
    int bit = i * bits;
    return (packed[bit >>> 3] >>> (bit & 7)) & ((1 << bits) - 1);
  }

  private static void check(int bins, int bits) {
    if (bits != 2 && bits != 4 && bits != 8) {
      throw new IllegalArgumentException(
          "illegal one-permutation sketch bits " + bits + ": must be 2, 4 or 8");
    }
    if (bins < 8 || bins > 65_536 || bins % 8 != 0) {
      throw new IllegalArgumentException(
          "illegal one-permutation sketch bins "
              + bins
              + ": must be a multiple of 8 in [8, 65536]");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnePermutationSketch s
        && s.bins == bins
        && s.bits == bits
        && Arrays.equals(s.packed, packed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(packed) * 31 + bins * 8 + bits;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
