package dev.winnow.selection.quality;

/**
 * Which datatrove the quality filters follow, where its rules changed.
 *
 * <ul>
 *   <li>{@code datatrove-2024}: the filters as datatrove had them in mid-2024 (Winnow's behaviour
 *       before issue 17, for reproducing older runs).
 *   <li>{@code datatrove-0.10}: datatrove 0.10.0's rules: Gopher's stop-word rule counts distinct
 *       stop words; FineWeb drops blank lines before its ratios (rule {@code empty} when none is
 *       left), counts terminal punctuation from the multi-script {@link TerminalPunctuation} set
 *       (no {@code '} or {@code "}) and compares strictly ({@code < line_punct_thr}, {@code >
 *       short_line_thr}, {@code > char_duplicates_ratio}); words are tokenized as spaCy's
 *       rule-based English tokenizer does, datatrove 0.10's default, where it differs from NLTK's
 *       (infix hyphens, slashes, symbol and dash runs, U+FFFD; its abbreviation exceptions,
 *       digit-unit and currency suffixes and URLs are not reproduced). The default.
 *   <li>{@code datatrove-2024} tokenizes words as an approximation of NLTK's {@code word_tokenize},
 *       as datatrove did then.
 * </ul>
 */
public enum QualityPreset {
  DATATROVE_2024("datatrove-2024"),
  DATATROVE_0_10("datatrove-0.10");

  private final String key;

  QualityPreset(String key) {
    this.key = key;
  }

  /** The name in configs. */
  public String key() {
    return key;
  }

  /** The preset named {@code key}, or null. */
  public static QualityPreset of(String key) {
    for (QualityPreset p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    return null;
  }
}
