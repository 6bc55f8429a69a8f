package dev.winnow.selection.quality;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of {@link GopherQualityFilter}. Public mutable fields so a YAML/JSON binder can fill
 * them; a field missing from the config keeps its default. Every default equals datatrove's {@code
 * GopherQualityFilter.__init__} ({@code datatrove/pipeline/filters/gopher_quality_filter.py}),
 * which follows Rae et al. 2021, "Scaling Language Models: Methods, Analysis &amp; Insights from
 * Training Gopher", appendix A.1.1. As in datatrove, a threshold of 0 disables its rule.
 */
public class GopherQualityConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Run this filter at all. */
  public boolean enabled = true;

  /** Reject when fewer non-symbol words than this (datatrove {@code min_doc_words = 50}). */
  public int minDocWords = 50;

  /** Reject when more non-symbol words than this (datatrove {@code max_doc_words = 100000}). */
  public int maxDocWords = 100_000;

  /** Reject when the mean non-symbol word length is below this (datatrove {@code 3}). */
  public double minAvgWordLength = 3;

  /** Reject when the mean non-symbol word length is above this (datatrove {@code 10}). */
  public double maxAvgWordLength = 10;

  /**
   * Reject when {@code #} or ellipses per word exceed this (datatrove {@code max_symbol_word_ratio
   * = 0.1}).
   */
  public double maxSymbolWordRatio = 0.1;

  /** Reject when more than this fraction of lines start with a bullet (datatrove {@code 0.9}). */
  public double maxBulletLinesRatio = 0.9;

  /** Reject when more than this fraction of lines end with an ellipsis (datatrove {@code 0.3}). */
  public double maxEllipsisLinesRatio = 0.3;

  /**
   * Reject when the fraction of words holding an alphabetic character is BELOW this (datatrove
   * {@code max_non_alpha_words_ratio = 0.8}; the name is datatrove's, kept for config parity,
   * although the bound is a minimum on alphabetic words).
   */
  public double maxNonAlphaWordsRatio = 0.8;

  /** Reject when fewer stop-word occurrences than this (datatrove {@code min_stop_words = 2}). */
  public int minStopWords = 2;

  /**
   * The stop words, matched case-sensitively against word tokens (datatrove {@code STOP_WORDS}).
   */
  public List<String> stopWords =
      new ArrayList<>(List.of("the", "be", "to", "of", "and", "that", "have", "with"));

  /**
   * Checks every field; {@code path} prefixes field names in messages, e.g. {@code
   * "quality.gopherQuality"}.
   */
  public void validate(String path) {
    ConfigCheck.path(path);
    ConfigCheck.atLeast(path, "minDocWords", minDocWords, 0, "0 disables the rule");
    ConfigCheck.atLeast(path, "maxDocWords", maxDocWords, 0, "0 disables the rule");
    if (minDocWords > 0 && maxDocWords > 0 && minDocWords > maxDocWords) {
      throw ConfigCheck.bad(
          path,
          "minDocWords",
          Integer.toString(minDocWords),
          "<= maxDocWords (" + maxDocWords + ")",
          null);
    }
    ConfigCheck.nonNegativeFinite(
        path, "minAvgWordLength", minAvgWordLength, "0 disables the rule");
    ConfigCheck.nonNegativeFinite(
        path, "maxAvgWordLength", maxAvgWordLength, "0 disables the rule");
    if (minAvgWordLength > 0 && maxAvgWordLength > 0 && minAvgWordLength > maxAvgWordLength) {
      throw ConfigCheck.bad(
          path,
          "minAvgWordLength",
          Double.toString(minAvgWordLength),
          "<= maxAvgWordLength (" + maxAvgWordLength + ")",
          null);
    }
    ConfigCheck.nonNegativeFinite(
        path, "maxSymbolWordRatio", maxSymbolWordRatio, "0 disables the rule");
    ConfigCheck.ratio(path, "maxBulletLinesRatio", maxBulletLinesRatio, "0 disables the rule");
    ConfigCheck.ratio(path, "maxEllipsisLinesRatio", maxEllipsisLinesRatio, "0 disables the rule");
    ConfigCheck.ratio(path, "maxNonAlphaWordsRatio", maxNonAlphaWordsRatio, "0 disables the rule");
    ConfigCheck.atLeast(path, "minStopWords", minStopWords, 0, "0 disables the rule");
    ConfigCheck.notNull(path, "stopWords", stopWords);
    for (int i = 0; i < stopWords.size(); i++) {
      String w = stopWords.get(i);
      if (w == null || w.isBlank()) {
        throw new IllegalArgumentException(
            path
                + ".stopWords["
                + i
                + "] = "
                + (w == null ? "null" : "\"" + w + "\"")
                + " is invalid: must be a non-blank word");
      }
    }
  }
}
