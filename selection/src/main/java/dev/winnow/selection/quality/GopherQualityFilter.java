package dev.winnow.selection.quality;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gopher's document quality heuristics (Rae et al. 2021, appendix A.1.1), with the semantics of
 * datatrove's {@code GopherQualityFilter}. Rules, in the order they are checked (the first that
 * fails rejects; rule names are datatrove's reasons):
 *
 * <ol>
 *   <li>{@code gopher_short_doc} / {@code gopher_long_doc}: the number of non-symbol words (word
 *       tokens with a character outside datatrove's punctuation set) is below {@link
 *       GopherQualityConfig#minDocWords} / above {@link GopherQualityConfig#maxDocWords}.
 *   <li>{@code gopher_below_avg_threshold} / {@code gopher_above_avg_threshold}: the mean length of
 *       non-symbol words is outside [minAvgWordLength, maxAvgWordLength].
 *   <li>{@code gopher_too_many_hashes}: occurrences of {@code #} per word token &gt;
 *       maxSymbolWordRatio.
 *   <li>{@code gopher_too_many_ellipsis}: occurrences of {@code ...} (non-overlapping) plus {@code
 *       …} per word token &gt; maxSymbolWordRatio.
 *   <li>{@code gopher_too_many_bullets}: fraction of lines starting (after leading whitespace) with
 *       {@code •} or {@code -} &gt; maxBulletLinesRatio.
 *   <li>{@code gopher_too_many_end_ellipsis}: fraction of lines ending (before trailing whitespace)
 *       with {@code ...} or {@code …} &gt; maxEllipsisLinesRatio.
 *   <li>{@code gopher_below_alpha_threshold}: fraction of word tokens holding an alphabetic
 *       character &lt; maxNonAlphaWordsRatio.
 *   <li>{@code gopher_enough_stop_words}: occurrences of stop words among the tokens
 *       (case-sensitive) &lt; minStopWords; with preset {@code datatrove-0.10}, distinct stop
 *       words.
 * </ol>
 *
 * Ratios per word count all tokens, punctuation included, as datatrove does. Where datatrove would
 * divide by zero (no tokens, no lines) the rule is skipped; such a text already fails {@code
 * gopher_short_doc} unless that rule is disabled.
 */
public final class GopherQualityFilter implements QualityFilter {

  private static final long serialVersionUID = 1L;

  /** The {@link Rejection#filter()} of this filter. */
  public static final String NAME = "gopher_quality";

  private final int minDocWords;
  private final int maxDocWords;
  private final double minAvgWordLength;
  private final double maxAvgWordLength;
  private final double maxSymbolWordRatio;
  private final double maxBulletLinesRatio;
  private final double maxEllipsisLinesRatio;
  private final double maxNonAlphaWordsRatio;
  private final int minStopWords;
  private final HashSet<String> stopWords;
  private final boolean distinctStopWords;

  /** A filter with {@code config}'s thresholds (validated here, then copied). */
  public GopherQualityFilter(GopherQualityConfig config) {
    this(config, QualityPreset.DATATROVE_2024);
  }

  /**
   * A filter with {@code config}'s thresholds and the stop-word rule of {@code preset}: datatrove
   * 0.10 counts distinct stop words, mid-2024 counted occurrences.
   */
  public GopherQualityFilter(GopherQualityConfig config, QualityPreset preset) {
    config.validate("gopherQuality");
    this.distinctStopWords = preset == QualityPreset.DATATROVE_0_10;
    this.minDocWords = config.minDocWords;
    this.maxDocWords = config.maxDocWords;
    this.minAvgWordLength = config.minAvgWordLength;
    this.maxAvgWordLength = config.maxAvgWordLength;
    this.maxSymbolWordRatio = config.maxSymbolWordRatio;
    this.maxBulletLinesRatio = config.maxBulletLinesRatio;
    this.maxEllipsisLinesRatio = config.maxEllipsisLinesRatio;
    this.maxNonAlphaWordsRatio = config.maxNonAlphaWordsRatio;
    this.minStopWords = config.minStopWords;
    this.stopWords = new HashSet<>(config.stopWords);
  }

  /** A filter with datatrove's defaults. */
  public GopherQualityFilter() {
    this(new GopherQualityConfig());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FilterOutcome apply(TextView view) {
    String text = view.text();
    String[] words = view.wordArray();
    int[] lengths = view.wordLengths();
    int nWords = words.length;

    int nNonSymbol = 0;
    long nonSymbolChars = 0;
    int nAlpha = 0;
    int nStop = 0;
    HashSet<String> seen = null;
    for (int i = 0; i < nWords; i++) {
      String w = words[i];
      if (Punctuation.hasNonPunctuation(w)) {
        nNonSymbol++;
        nonSymbolChars += lengths[i];
      }
      if (hasLetter(w)) {
        nAlpha++;
      }
      if (stopWords.contains(w)) {
        // datatrove-0.10 counts distinct stop words: a word already seen adds nothing
        if (!distinctStopWords) {
          nStop++;
        } else {
          if (seen == null) {
            seen = new HashSet<>();
          }
          if (seen.add(w)) {
            nStop++;
          }
        }
      }
    }

    if (minDocWords > 0 && nNonSymbol < minDocWords) {
      return reject("gopher_short_doc", nNonSymbol, Thresholds.of("<", minDocWords));
    }
    if (maxDocWords > 0 && nNonSymbol > maxDocWords) {
      return reject("gopher_long_doc", nNonSymbol, Thresholds.of(">", maxDocWords));
    }
    if (nNonSymbol > 0) {
      double avg = (double) nonSymbolChars / nNonSymbol;
      if (minAvgWordLength > 0 && avg < minAvgWordLength) {
        return reject("gopher_below_avg_threshold", avg, Thresholds.of("<", minAvgWordLength));
      }
      if (maxAvgWordLength > 0 && avg > maxAvgWordLength) {
        return reject("gopher_above_avg_threshold", avg, Thresholds.of(">", maxAvgWordLength));
      }
    }
    if (nWords > 0 && maxSymbolWordRatio > 0) {
      double hashes = (double) PyText.count(text, '#') / nWords;
      if (hashes > maxSymbolWordRatio) {
        return reject("gopher_too_many_hashes", hashes, Thresholds.of(">", maxSymbolWordRatio));
      }
      double ellipses =
          (double) (PyText.count(text, "...") + PyText.count(text, '\u2026')) / nWords;
      if (ellipses > maxSymbolWordRatio) {
        return reject("gopher_too_many_ellipsis", ellipses, Thresholds.of(">", maxSymbolWordRatio));
      }
    }
    List<String> lines = view.lines();
    if (!lines.isEmpty()) {
      if (maxBulletLinesRatio > 0) {
        int bullets = 0;
        for (String line : lines) {
          if (PyText.lstripStartsWith(line, "\u2022") || PyText.lstripStartsWith(line, "-")) {
            bullets++;
          }
        }
        double ratio = (double) bullets / lines.size();
        if (ratio > maxBulletLinesRatio) {
          return reject("gopher_too_many_bullets", ratio, Thresholds.of(">", maxBulletLinesRatio));
        }
      }
      if (maxEllipsisLinesRatio > 0) {
        int ellipsisLines = 0;
        for (String line : lines) {
          if (PyText.rstripEndsWith(line, "...") || PyText.rstripEndsWith(line, "\u2026")) {
            ellipsisLines++;
          }
        }
        double ratio = (double) ellipsisLines / lines.size();
        if (ratio > maxEllipsisLinesRatio) {
          return reject(
              "gopher_too_many_end_ellipsis", ratio, Thresholds.of(">", maxEllipsisLinesRatio));
        }
      }
    }
    if (nWords > 0 && maxNonAlphaWordsRatio > 0) {
      double alphaRatio = (double) nAlpha / nWords;
      if (alphaRatio < maxNonAlphaWordsRatio) {
        return reject(
            "gopher_below_alpha_threshold", alphaRatio, Thresholds.of("<", maxNonAlphaWordsRatio));
      }
    }
    if (minStopWords > 0 && nStop < minStopWords) {
      return reject("gopher_enough_stop_words", nStop, Thresholds.of("<", minStopWords));
    }
    return FilterOutcome.kept(text);
  }

  /** The stop words this filter counts (unmodifiable). */
  public Set<String> stopWords() {
    return Set.copyOf(stopWords);
  }

  private static boolean hasLetter(String w) {
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      if (Character.isLetter(cp)) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  private static FilterOutcome reject(String rule, double value, String threshold) {
    return FilterOutcome.rejected(new Rejection(NAME, rule, value, threshold));
  }
}
