package dev.winnow.selection.quality;

import java.io.Serializable;

/**
 * Settings of {@link FineWebQualityFilter}. Public mutable fields so a YAML/JSON binder can fill
 * them; a field missing from the config keeps its default. Every default equals datatrove's {@code
 * FineWebQualityFilter.__init__} ({@code datatrove/pipeline/filters/fineweb_quality_filter.py}),
 * the filters of Penedo et al. 2024, "The FineWeb Datasets".
 */
public class FineWebQualityConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Run this filter at all. */
  public boolean enabled = true;

  /**
   * Reject when the fraction of lines ending in {@code . ' " ! ?} is at most this (datatrove {@code
   * line_punct_thr = 0.12}).
   */
  public double linePunctThr = 0.12;

  /**
   * Do not apply the line-punctuation rule when no line has terminal punctuation (datatrove {@code
   * false}).
   */
  public boolean linePunctExcludeZero = false;

  /**
   * Reject when the fraction of short lines is at least this (datatrove {@code short_line_thr =
   * 0.67}).
   */
  public double shortLineThr = 0.67;

  /** A line of at most this many characters is short (datatrove {@code short_line_length = 30}). */
  public int shortLineLength = 30;

  /**
   * Reject when the fraction of characters in duplicated lines is at least this (datatrove {@code
   * char_duplicates_ratio = 0.01}).
   */
  public double charDuplicatesRatio = 0.01;

  /** Reject when newlines per word exceed this (datatrove {@code new_line_ratio = 0.3}). */
  public double newLineRatio = 0.3;

  /**
   * Checks every field; {@code path} prefixes field names in messages, e.g. {@code
   * "quality.fineWeb"}.
   */
  public void validate(String path) {
    ConfigCheck.path(path);
    ConfigCheck.ratio(path, "linePunctThr", linePunctThr, null);
    ConfigCheck.ratio(path, "shortLineThr", shortLineThr, null);
    ConfigCheck.atLeast(path, "shortLineLength", shortLineLength, 0, null);
    ConfigCheck.ratio(path, "charDuplicatesRatio", charDuplicatesRatio, null);
    ConfigCheck.nonNegativeFinite(path, "newLineRatio", newLineRatio, null);
  }
}
