package dev.winnow.selection.dsir;

import java.io.Serializable;

/**
 * Settings of DSIR (Xie et al. 2023, "Data Selection for Language Models via Importance
 * Resampling"). Public mutable fields so a YAML/JSON binder can fill them; a field missing from the
 * config keeps its default. A fitted {@link DsirModel} stores the config it was fitted with, and
 * scoring always uses that one.
 */
public class DsirConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Hash buckets of the feature space (the paper's and the reference code's 10,000). */
  public int buckets = 10_000;

  /** Longest n-gram: 1 = unigrams only, 2 = unigrams and bigrams (the paper's choice). */
  public int maxNgram = 2;

  /**
   * Additive (Laplace) smoothing α of both distributions: {@code p(b) = (count(b) + α) / (total +
   * α·buckets)}. Must be positive: a bucket unseen in the raw data would otherwise get an infinite
   * weight.
   */
  public double smoothing = 1.0;

  /** Seed of the XXH3 feature hash; models are only comparable with the same seed. */
  public long hashSeed = 0L;

  /**
   * Checks every field; {@code path} prefixes field names in messages, e.g. {@code
   * "selection.dsir"}.
   */
  public void validate(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("config path must not be blank");
    }
    if (buckets < 1) {
      throw new IllegalArgumentException(
          path + ".buckets = " + buckets + " is out of range: must be >= 1");
    }
    if (maxNgram < 1 || maxNgram > 2) {
      throw new IllegalArgumentException(
          path
              + ".maxNgram = "
              + maxNgram
              + " is out of range: must be 1 (unigrams) or 2 (unigrams and bigrams)");
    }
    if (!(smoothing > 0 && Double.isFinite(smoothing))) {
      throw new IllegalArgumentException(
          path
              + ".smoothing = "
              + smoothing
              + " is out of range: must be a finite number > 0 (unseen buckets would get infinite weights)");
    }
  }

  /** A copy (configs are mutable). */
  public DsirConfig copy() {
    DsirConfig c = new DsirConfig();
    c.buckets = buckets;
    c.maxNgram = maxNgram;
    c.smoothing = smoothing;
    c.hashSeed = hashSeed;
    return c;
  }
}
