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

  /** A filter with {@code config}'s thresholds (validated here, then copied). */
  public FineWebQualityFilter(FineWebQualityConfig config) {
    config.validate("fineWeb");
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
