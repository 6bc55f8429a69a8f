package dev.winnow.selection.dsir;

import java.util.Arrays;

/**
 * A bag-of-hashed-n-grams distribution: feature counts per bucket, fitted from texts, smoothed into
 * log-probabilities {@code ln p(b) = ln((count(b) + α) / (total + α·buckets))}.
 *
 * <pre>{@code
 * NgramDistribution target = NgramDistribution.fit(config, targetTexts);
 * double[] logP = target.logProbs(config.smoothing);
 * }</pre>
 *
 * @param counts feature count per bucket
 * @param total sum of the counts
 * @param documents number of texts it was fitted from
 */
public record NgramDistribution(long[] counts, long total, long documents) {

  public NgramDistribution {
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("illegal negative bucket count " + c);
      }
      sum += c;
    }
    if (sum != total) {
      throw new IllegalArgumentException(
          "illegal total " + total + ": the bucket counts sum to " + sum);
    }
    if (documents < 0) {
      throw new IllegalArgumentException("illegal document count " + documents + ": must be >= 0");
    }
  }

  /** Counts the features of every text. */
  public static NgramDistribution fit(DsirConfig config, Iterable<? extends CharSequence> texts) {
    HashedNgramFeaturizer features = new HashedNgramFeaturizer(config);
    long[] counts = new long[config.buckets];
    long docs = 0;
    for (CharSequence t : texts) {
      features.addCounts(t, counts);
      docs++;
    }
    return new NgramDistribution(counts, Arrays.stream(counts).sum(), docs);
  }

  /** Smoothed natural-log probabilities, one per bucket. */
  public double[] logProbs(double smoothing) {
    if (!(smoothing > 0 && Double.isFinite(smoothing))) {
      throw new IllegalArgumentException(
          "illegal smoothing " + smoothing + ": must be a finite number > 0");
    }
    double logDenominator = Math.log(total + smoothing * counts.length);
    double[] out = new double[counts.length];
    for (int b = 0; b < counts.length; b++) {
      out[b] = Math.log(counts[b] + smoothing) - logDenominator;
    }
    return out;
  }

  /** This distribution plus another (e.g. two shards of the raw data fitted apart). */
  public NgramDistribution merge(NgramDistribution other) {
    if (other.counts.length != counts.length) {
      throw new IllegalArgumentException(
          "cannot merge distributions of "
              + counts.length
              + " and "
              + other.counts.length
              + " buckets");
    }
    long[] sum = counts.clone();
    for (int b = 0; b < sum.length; b++) {
      sum[b] += other.counts[b];
    }
    return new NgramDistribution(sum, total + other.total, documents + other.documents);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NgramDistribution d
        && d.total == total
        && d.documents == documents
        && Arrays.equals(d.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + Long.hashCode(total);
  }

  @Override
  public String toString() {
    return "NgramDistribution[buckets="
        + counts.length
        + ", total="
        + total
        + ", documents="
        + documents
        + "]";
  }
}
