package dev.winnow.selection.quality;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of {@link GopherRepetitionFilter}. Public mutable fields so a YAML/JSON binder can fill
 * them; a field missing from the config keeps its default. Every default equals datatrove's {@code
 * GopherRepetitionFilter.__init__} ({@code
 * datatrove/pipeline/filters/gopher_repetition_filter.py}), i.e. table A1 of Rae et al. 2021
 * (Gopher). As in datatrove, 0 disables a line or paragraph rule; remove an entry from an n-gram
 * map to disable that n.
 */
public class GopherRepetitionConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Run this filter at all. */
  public boolean enabled = true;

  /** Max fraction of lines that repeat an earlier line (datatrove {@code dup_line_frac = 0.3}). */
  public double dupLineFrac = 0.3;

  /**
   * Max fraction of paragraphs that repeat an earlier one (datatrove {@code dup_para_frac = 0.3}).
   */
  public double dupParaFrac = 0.3;

  /** Max fraction of characters in repeated lines (datatrove {@code dup_line_char_frac = 0.2}). */
  public double dupLineCharFrac = 0.2;

  /**
   * Max fraction of characters in repeated paragraphs (datatrove {@code dup_para_char_frac = 0.2}).
   */
  public double dupParaCharFrac = 0.2;

  /**
   * n → max fraction of characters covered by the most frequent n-gram (datatrove {@code
   * top_n_grams = ((2, 0.2), (3, 0.18), (4, 0.16))}).
   */
  public Map<Integer, Double> topNGrams = new TreeMap<>(Map.of(2, 0.2, 3, 0.18, 4, 0.16));

  /**
   * n → max fraction of characters in duplicated n-grams (datatrove {@code dup_n_grams = ((5,
   * 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))}).
   */
  public Map<Integer, Double> dupNGrams =
      new TreeMap<>(Map.of(5, 0.15, 6, 0.14, 7, 0.13, 8, 0.12, 9, 0.11, 10, 0.10));

  /**
   * Checks every field; {@code path} prefixes field names in messages, e.g. {@code
   * "quality.gopherRepetition"}.
   */
  public void validate(String path) {
    ConfigCheck.path(path);
    ConfigCheck.ratio(path, "dupLineFrac", dupLineFrac, "0 disables the rule");
    ConfigCheck.ratio(path, "dupParaFrac", dupParaFrac, "0 disables the rule");
    ConfigCheck.ratio(path, "dupLineCharFrac", dupLineCharFrac, "0 disables the rule");
    ConfigCheck.ratio(path, "dupParaCharFrac", dupParaCharFrac, "0 disables the rule");
    checkNGrams(path, "topNGrams", topNGrams);
    checkNGrams(path, "dupNGrams", dupNGrams);
  }

  private static void checkNGrams(String path, String field, Map<Integer, Double> grams) {
    ConfigCheck.notNull(path, field, grams);
    for (Map.Entry<Integer, Double> e : grams.entrySet()) {
      if (e.getKey() == null || e.getKey() < 1) {
        throw new IllegalArgumentException(
            path + "." + field + " has n-gram size " + e.getKey() + ": must be an integer >= 1");
      }
      ConfigCheck.notNull(path, field + "[" + e.getKey() + "]", e.getValue());
      ConfigCheck.ratio(path, field + "[" + e.getKey() + "]", e.getValue(), null);
    }
  }
}
