package dev.winnow.selection.ccnet;

import java.io.Serializable;

/**
 * Settings of {@link PerplexityBuckets}. Public mutable fields for a YAML/JSON binder. Either the
 * cut points are given ({@link #headCut}, {@link #tailCut}, perplexity values) or they are learned
 * from a sample at the percentiles {@link #headPercentile} and {@link #tailPercentile} (CCNet,
 * Wenzek et al. 2020: 30% and 60%, so head = the lowest 30%, middle = the next 30%, tail = the
 * rest).
 */
public class PerplexityBucketsConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Fraction of the sample below the head/middle cut. */
  public double headPercentile = 0.30;

  /** Fraction of the sample below the middle/tail cut. */
  public double tailPercentile = 0.60;

  /** Given head/middle cut point (perplexity); NaN to learn it from a sample. */
  public double headCut = Double.NaN;

  /** Given middle/tail cut point (perplexity); NaN to learn it from a sample. */
  public double tailCut = Double.NaN;

  public void validate(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("config path must not be blank");
    }
    if (!(headPercentile > 0 && headPercentile < tailPercentile && tailPercentile < 1)) {
      throw new IllegalArgumentException(
          path
              + ".headPercentile = "
              + headPercentile
              + ", "
              + path
              + ".tailPercentile = "
              + tailPercentile
              + " are out of range: must be 0 < head < tail < 1");
    }
    if (Double.isNaN(headCut) != Double.isNaN(tailCut)) {
      throw new IllegalArgumentException(
          path + ": give both headCut and tailCut, or neither (to learn them)");
    }
    if (!Double.isNaN(headCut) && !(headCut <= tailCut)) {
      throw new IllegalArgumentException(
          path + ".headCut = " + headCut + " must be <= " + path + ".tailCut = " + tailCut);
    }
  }

  /** Whether both cut points are given. */
  public boolean hasCuts() {
    return !Double.isNaN(headCut);
  }
}
