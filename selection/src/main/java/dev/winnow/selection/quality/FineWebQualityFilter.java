package dev.winnow.selection.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * FineWeb's additional heuristics (Penedo et al. 2024), with the semantics of datatrove's {@code
 * FineWebQualityFilter}. Lines are the pieces between single {@code \n} (empty lines included).
 * Rules, in the order they are checked (names are datatrove's reasons):
 *
 * <ol>
 *   <li>{@code line_punct_ratio}: the fraction of lines ending in {@code . ' " ! ?} is &le;
 *       linePunctThr (unless it is 0 and linePunctExcludeZero is set).
 *   <li>{@code short_line_ratio}: the fraction of lines of at most shortLineLength characters is
 *       &ge; shortLineThr.
 *   <li>{@code char_dup_ratio}: the characters of non-blank lines equal to an earlier non-blank
 *       line, over the characters of the text without its {@code \n}, is &ge; charDuplicatesRatio.
 *   <li>{@code list_ratio}: the number of {@code \n} per word token is &gt; newLineRatio.
 * </ol>
 *
 * With preset {@code datatrove-0.10} ({@link QualityPreset}): blank lines are dropped before the
 * ratios (rule {@code empty} when none is left), terminal punctuation is {@link
 * TerminalPunctuation} (no quotes), and the first three rules compare strictly ({@code <}, {@code
 * >}, {@code >}).
 */
public final class FineWebQualityFilter implements QualityFilter {

  private static final long serialVersionUID = 1L;

  /** The {@link Rejection#filter()} of this filter. */
  public static final String NAME = "fineweb";

  private final double linePunctThr;
  private final boolean linePunctExcludeZero;
  private final double shortLineThr;
  private final int shortLineLength;
  private final double charDuplicatesRatio;
  private final double newLineRatio;
  private final boolean v010;

  /** A filter with {@code config}'s thresholds (validated here, then copied). */
  public FineWebQualityFilter(FineWebQualityConfig config) {
    this(config, QualityPreset.DATATROVE_2024);
  }

  /** A filter with {@code config}'s thresholds and the rules of {@code preset}. */
  public FineWebQualityFilter(FineWebQualityConfig config, QualityPreset preset) {
    config.validate("fineWeb");
    this.v010 = preset == QualityPreset.DATATROVE_0_10;
    this.linePunctThr = config.linePunctThr;
    this.linePunctExcludeZero = config.linePunctExcludeZero;
    this.shortLineThr = config.shortLineThr;
    this.shortLineLength = config.shortLineLength;
    this.charDuplicatesRatio = config.charDuplicatesRatio;
    this.newLineRatio = config.newLineRatio;
  }

  /** A filter with datatrove's defaults. */
  public FineWebQualityFilter() {
    this(new FineWebQualityConfig());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FilterOutcome apply(TextView view) {
    return v010 ? apply010(view) : apply2024(view);
  }

  /**
   * datatrove 0.10: blank lines dropped first ({@code empty} when none is left), terminal
   * punctuation from {@link TerminalPunctuation}, strict comparisons.
   */
  private FilterOutcome apply010(TextView view) {
    String text = view.text();
    List<String> lines = new ArrayList<>();
    for (String line : PyText.split(text, '\n')) {
      if (!PyText.strip(line).isEmpty()) {
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      return reject("empty", 0, "no non-blank line");
    }
    int punct = 0;
    int shortLines = 0;
    for (String line : lines) {
      if (TerminalPunctuation.endsWithMark(line)) {
        punct++;
      }
      if (PyText.len(line) <= shortLineLength) {
        shortLines++;
      }
    }
    double ratio = (double) punct / lines.size();
    if (ratio < linePunctThr && !(ratio == 0 && linePunctExcludeZero)) {
      return reject("line_punct_ratio", ratio, Thresholds.of("<", linePunctThr));
    }
    ratio = (double) shortLines / lines.size();
    if (ratio > shortLineThr) {
      return reject("short_line_ratio", ratio, Thresholds.of(">", shortLineThr));
    }
    int newlines = PyText.split(text, '\n').size() - 1;
    int charsWithoutNewlines = view.length() - newlines;
    long dupChars = GopherRepetitionFilter.duplicates(lines)[1];
    ratio = charsWithoutNewlines == 0 ? 0 : (double) dupChars / charsWithoutNewlines;
    if (ratio > charDuplicatesRatio) {
      return reject("char_dup_ratio", ratio, Thresholds.of(">", charDuplicatesRatio));
    }
    int nWords = view.wordArray().length;
    ratio =
        nWords == 0 ? (newlines == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) newlines / nWords;
    if (ratio > newLineRatio) {
      return reject("list_ratio", ratio, Thresholds.of(">", newLineRatio));
    }
    return FilterOutcome.kept(text);
  }

  private FilterOutcome apply2024(TextView view) {
    String text = view.text();
    List<String> lines = PyText.split(text, '\n');
    int punct = 0;
    int shortLines = 0;
    List<String> nonBlank = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (!line.isEmpty()) {
        char c = line.charAt(line.length() - 1);
        if (c == '.' || c == '\'' || c == '"' || c == '!' || c == '?') {
          punct++;
        }
      }
      if (line.length() <= shortLineLength || PyText.len(line) <= shortLineLength) {
        shortLines++;
      }
      if (!PyText.strip(line).isEmpty()) {
        nonBlank.add(line);
      }
    }
    double ratio = (double) punct / lines.size();
    if (ratio <= linePunctThr && !(ratio == 0 && linePunctExcludeZero)) {
      return reject("line_punct_ratio", ratio, Thresholds.of("<=", linePunctThr));
    }
    ratio = (double) shortLines / lines.size();
    if (ratio >= shortLineThr) {
      return reject("short_line_ratio", ratio, Thresholds.of(">=", shortLineThr));
    }
    int newlines = lines.size() - 1;
    int charsWithoutNewlines = view.length() - newlines;
    long dupChars = GopherRepetitionFilter.duplicates(nonBlank)[1];
    ratio = charsWithoutNewlines == 0 ? 0 : (double) dupChars / charsWithoutNewlines;
    if (ratio >= charDuplicatesRatio) {
      return reject("char_dup_ratio", ratio, Thresholds.of(">=", charDuplicatesRatio));
    }
    int nWords = view.wordArray().length;
    ratio =
        nWords == 0 ? (newlines == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) newlines / nWords;
    if (ratio > newLineRatio) {
      return reject("list_ratio", ratio, Thresholds.of(">", newLineRatio));
    }
    return FilterOutcome.kept(text);
  }

  private static FilterOutcome reject(String rule, double value, String threshold) {
    return FilterOutcome.rejected(new Rejection(NAME, rule, value, threshold));
  }
}
