package dev.winnow.selection.ccnet;

import java.util.Arrays;

/**
 * CCNet-style perplexity buckets (Wenzek et al. 2020, "CCNet: Extracting High Quality Monolingual
 * Datasets from Web Crawl Data"): a document whose perplexity under a model of the target domain is
 * at most {@link #headCut()} is {@code head}, at most {@link #tailCut()} is {@code middle}, else
 * {@code tail}. CCNet computes the cuts per language at the 30th and 60th percentiles of a sample;
 * the same is done here from any sample of perplexities (per-word perplexity in CCNet).
 *
 * <p>A NaN perplexity (a document with no scored token) is {@code tail}: nothing says it is close
 * to the domain.
 *
 * <pre>{@code
 * PerplexityBuckets b = PerplexityBuckets.fit(new PerplexityBucketsConfig(), samplePerplexities);
 * PerplexityBucket bucket = b.bucket(ppl);
 * }</pre>
 *
 * @param headCut highest perplexity of the head
 * @param tailCut highest perplexity of the middle
 */
public record PerplexityBuckets(double headCut, double tailCut) {

  public PerplexityBuckets {
    if (Double.isNaN(headCut) || Double.isNaN(tailCut) || headCut > tailCut) {
      throw new IllegalArgumentException(
          "illegal cut points " + headCut + ", " + tailCut + ": must be numbers with head <= tail");
    }
  }

  /** The configured cuts, or cuts learned from the sample when the config gives none. */
  public static PerplexityBuckets fit(PerplexityBucketsConfig config, double[] sample) {
    config.validate("ccnet");
    if (config.hasCuts()) {
      return new PerplexityBuckets(config.headCut, config.tailCut);
    }
    double[] finite = Arrays.stream(sample).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (finite.length == 0) {
      throw new IllegalArgumentException(
          "cannot learn perplexity cut points from an empty sample "
              + "(no document had a perplexity); give headCut and tailCut instead");
    }
    return new PerplexityBuckets(
        percentile(finite, config.headPercentile), percentile(finite, config.tailPercentile));
  }

  /**
   * The {@code q}-quantile of sorted values with linear interpolation between closest ranks
   * (numpy's default {@code percentile}, which CCNet uses).
   */
  public static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  public PerplexityBucket bucket(double perplexity) {
    if (Double.isNaN(perplexity) || perplexity > tailCut) {
      return PerplexityBucket.TAIL;
    }
    return perplexity <= headCut ? PerplexityBucket.HEAD : PerplexityBucket.MIDDLE;
  }
}
