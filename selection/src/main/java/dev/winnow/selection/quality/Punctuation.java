package dev.winnow.selection.quality;

/**
 * datatrove's {@code PUNCTUATION_SET} ({@code datatrove/utils/text.py}): ASCII and CJK/typographic
 * punctuation plus the C0/C1 control characters except tab and line feed. The Gopher quality filter
 * counts a word as a "symbol word" when every character of it is in this set.
 */
final class Punctuation {

  /** The printable members, as listed in datatrove. */
  private static final String PRINTABLE =
      "!/\u2014\u201d:\uff05\uff11\u3008&(\u3001\u2501\\\u3010#%\u300c\u300d\uff0c\u3011\uff1b+^]~\u201c\u300a"
          + "\u201e';\u2019{|\u2236\u00b4[=-`*\uff0e\uff08\u2013\uff1f\uff01\uff1a$\uff5e\u00ab\u3009,><\u300b)?"
          + "\uff09\u3002\u2026@_.\"}\u25ba\u00bb";

  private static final boolean[] TABLE = new boolean[Character.MAX_VALUE + 1];

  static {
    for (int i = 0; i < PRINTABLE.length(); i++) {
      TABLE[PRINTABLE.charAt(i)] = true;
    }
    for (int c = 0; c < 32; c++) {
      TABLE[c] = c != '\t' && c != '\n';
    }
    for (int c = 127; c < 160; c++) {
      TABLE[c] = true;
    }
  }

  private Punctuation() {}

  static boolean isPunctuation(char c) {
    return TABLE[c];
  }

  /**
   * Whether {@code word} has at least one character outside the set (datatrove's non-symbol word).
   */
  static boolean hasNonPunctuation(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (!TABLE[word.charAt(i)]) {
        return true;
      }
    }
    return false;
  }
}
