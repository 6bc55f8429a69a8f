package dev.winnow.selection.dedup.minhash;

import java.util.Arrays;

/**
 * The MinHash signature of one shingle set: for each of the k permutations h_i, the minimum {@code
 * min_{x in S} h_i(x)} (Broder, "On the resemblance and containment of documents", 1997).
 *
 * <p>For two sets A and B, {@code Pr[min h_i(A) = min h_i(B)] = J(A, B)}, so the fraction of equal
 * positions is an unbiased estimate of the Jaccard similarity with standard error {@code sqrt(J (1
 * - J) / k)}.
 *
 * <p>The record takes ownership of {@code values} without copying (signatures are made by the
 * million); callers must not modify the array afterwards. Equality compares the contents.
 *
 * @param values the k minima, one per permutation, in permutation order
 */
public record MinHashSignature(long[] values) {

  public MinHashSignature {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("a MinHash signature needs at least one value");
    }
  }

  /** Number of permutations k. */
  public int size() {
    return values.length;
  }

  /**
   * Estimated Jaccard similarity: the fraction of the k positions where both signatures agree.
   *
   * @throws IllegalArgumentException when the signatures have different lengths (different configs)
   */
  public double jaccardEstimate(MinHashSignature other) {
    long[] a = values;
    long[] b = other.values;
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "signatures of different lengths ("
              + a.length
              + " vs "
              + b.length
              + ") come from different configs and cannot be compared");
    }
    int equal = 0;
    for (int i = 0; i < a.length; i++) {
      // Branch-free count: the JIT turns this into a compare + add, which it can unroll.
      equal += a[i] == b[i] ? 1 : 0;
    }
    return (double) equal / a.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinHashSignature s && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MinHashSignature[k=" + values.length + "]";
  }
}
