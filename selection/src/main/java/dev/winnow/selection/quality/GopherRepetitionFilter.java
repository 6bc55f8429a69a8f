package dev.winnow.selection.quality;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Gopher's repetition heuristics (Rae et al. 2021, table A1), with the semantics of datatrove's
 * {@code GopherRepetitionFilter}. All character fractions are over the whole text length in code
 * points. Rules, in the order they are checked (names are datatrove's reasons):
 *
 * <ol>
 *   <li>{@code dup_para_frac} / {@code dup_para_char_frac}: paragraphs are the pieces of the
 *       stripped text between runs of two or more {@code \n}; the fraction of paragraphs equal to
 *       an earlier one &gt; dupParaFrac, or the characters of those repeats / text length &gt;
 *       dupParaCharFrac.
 *   <li>{@code dup_line_frac} / {@code dup_line_char_frac}: the same over lines (pieces between
 *       runs of {@code \n}).
 *   <li>{@code top_<n>_gram} for each n of topNGrams: the most frequent word n-gram (ties go to the
 *       one seen first), its length as space-joined words times its count / text length &gt; the
 *       bound.
 *   <li>{@code duplicated_<n>_n_grams} for each n of dupNGrams: scanning word positions left to
 *       right, an n-gram seen before adds its characters (words joined without spaces) and the scan
 *       jumps past it, otherwise it is remembered and the scan moves one word; the sum / text
 *       length &gt; the bound.
 * </ol>
 *
 * One deviation: datatrove compares duplicated n-grams as strings joined without separator, so
 * {@code ["ab","c"]} equals {@code ["a","bc"]}; this filter compares word sequences. The two differ
 * only on such accidental concatenation collisions.
 */
public final class GopherRepetitionFilter implements QualityFilter {

  private static final long serialVersionUID = 1L;

  /** The {@link Rejection#filter()} of this filter. */
  public static final String NAME = "gopher_repetition";

  private final double dupLineFrac;
  private final double dupParaFrac;
  private final double dupLineCharFrac;
  private final double dupParaCharFrac;
  private final int[] topN;
  private final double[] topFrac;
  private final int[] dupN;
  private final double[] dupFrac;

  /** A filter with {@code config}'s thresholds (validated here, then copied). */
  public GopherRepetitionFilter(GopherRepetitionConfig config) {
    config.validate("gopherRepetition");
    this.dupLineFrac = config.dupLineFrac;
    this.dupParaFrac = config.dupParaFrac;
    this.dupLineCharFrac = config.dupLineCharFrac;
    this.dupParaCharFrac = config.dupParaCharFrac;
    this.topN = new int[config.topNGrams.size()];
    this.topFrac = new double[topN.length];
    copy(config.topNGrams, topN, topFrac);
    this.dupN = new int[config.dupNGrams.size()];
    this.dupFrac = new double[dupN.length];
    copy(config.dupNGrams, dupN, dupFrac);
  }

  /** A filter with datatrove's defaults. */
  public GopherRepetitionFilter() {
    this(new GopherRepetitionConfig());
  }

  private static void copy(Map<Integer, Double> grams, int[] ns, double[] fracs) {
    int i = 0;
    for (Map.Entry<Integer, Double> e : new java.util.TreeMap<>(grams).entrySet()) {
      ns[i] = e.getKey();
      fracs[i] = e.getValue();
      i++;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FilterOutcome apply(TextView view) {
    String text = view.text();
    int length = view.length();
    if (length == 0) {
      return FilterOutcome.kept(text); // nothing to repeat; datatrove would divide by zero
    }

    List<String> paragraphs = PyText.splitOnRuns(PyText.strip(text), '\n', 2);
    long[] dup = duplicates(paragraphs);
    double ratio = (double) dup[0] / paragraphs.size();
    if (dupParaFrac > 0 && ratio > dupParaFrac) {
      return reject("dup_para_frac", ratio, Thresholds.of(">", dupParaFrac));
    }
    ratio = (double) dup[1] / length;
    if (dupParaCharFrac > 0 && ratio > dupParaCharFrac) {
      return reject("dup_para_char_frac", ratio, Thresholds.of(">", dupParaCharFrac));
    }

    List<String> lines = PyText.splitOnRuns(text, '\n', 1);
    dup = duplicates(lines);
    ratio = (double) dup[0] / lines.size();
    if (dupLineFrac > 0 && ratio > dupLineFrac) {
      return reject("dup_line_frac", ratio, Thresholds.of(">", dupLineFrac));
    }
    ratio = (double) dup[1] / length;
    if (dupLineCharFrac > 0 && ratio > dupLineCharFrac) {
      return reject("dup_line_char_frac", ratio, Thresholds.of(">", dupLineCharFrac));
    }

    String[] words = view.wordArray();
    int[] lens = view.wordLengths();
    if (topN.length == 0 && dupN.length == 0) {
      return FilterOutcome.kept(text);
    }
    long[] prefix = new long[words.length + 1]; // prefix[i] = characters in words[0, i)
    for (int i = 0; i < words.length; i++) {
      prefix[i + 1] = prefix[i] + lens[i];
    }
    NGramTable table = new NGramTable(words);
    for (int k = 0; k < topN.length; k++) {
      int n = topN[k];
      if (words.length < n) {
        continue; // no n-grams: datatrove skips the rule
      }
      ratio = (double) topNGramChars(table, prefix, words.length, n) / length;
      if (ratio > topFrac[k]) {
        return reject("top_" + n + "_gram", ratio, Thresholds.of(">", topFrac[k]));
      }
    }
    for (int k = 0; k < dupN.length; k++) {
      int n = dupN[k];
      ratio = (double) duplicatedNGramChars(table, prefix, words.length, n) / length;
      if (ratio > dupFrac[k]) {
        return reject("duplicated_" + n + "_n_grams", ratio, Thresholds.of(">", dupFrac[k]));
      }
    }
    return FilterOutcome.kept(text);
  }

  /** {count of elements equal to an earlier one, their total length in code points}. */
  static long[] duplicates(List<String> elements) {
    HashSet<String> seen = new HashSet<>(elements.size() * 2);
    long count = 0;
    long chars = 0;
    for (String e : elements) {
      if (!seen.add(e)) {
        count++;
        chars += PyText.len(e);
      }
    }
    return new long[] {count, chars};
  }

  /** Length of the space-joined most frequent n-gram times its count. */
  private static long topNGramChars(NGramTable table, long[] prefix, int nWords, int n) {
    table.reset(n);
    int bestCount = 0;
    int bestStart = -1;
    for (int i = 0; i + n <= nWords; i++) {
      int slot = table.add(i);
      int count = table.count(slot);
      int first = table.firstStart(slot);
      if (count > bestCount || (count == bestCount && first < bestStart)) {
        bestCount = count;
        bestStart = first;
      }
    }
    long gramChars = prefix[bestStart + n] - prefix[bestStart] + (n - 1);
    return gramChars * bestCount;
  }

  /** Characters in n-grams that repeat an earlier one, skipping past each repeat. */
  private static long duplicatedNGramChars(NGramTable table, long[] prefix, int nWords, int n) {
    table.reset(n);
    long repeated = 0;
    int i = 0;
    while (i + n <= nWords) {
      if (table.contains(i)) {
        repeated += prefix[i + n] - prefix[i];
        i += n;
      } else {
        table.add(i);
        i++;
      }
    }
    return repeated;
  }

  private static FilterOutcome reject(String rule, double value, String threshold) {
    return FilterOutcome.rejected(new Rejection(NAME, rule, value, threshold));
  }
}
