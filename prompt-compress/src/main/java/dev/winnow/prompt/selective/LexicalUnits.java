package dev.winnow.prompt.selective;

import dev.winnow.selection.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical units Selective Context keeps or drops, as character spans of the text: the span
 * holds the unit's text without the whitespace around it (whitespace is never a unit).
 *
 * <ul>
 *   <li>{@code word}: a maximal run of non-whitespace characters; in scripts written without spaces
 *       (Han, Hiragana, Katakana) each character is a word of its own.
 *   <li>{@code sentence}: a sentence of {@link SentenceSplitter#LLMLINGUA}.
 *   <li>{@code token}: a token of the proxy model, or the group of tokens that together make whole
 *       UTF-8 characters ({@link TokenSpans}).
 * </ul>
 */
final class LexicalUnits {
  private LexicalUnits() {}

  /** Spans {@code [start, end)}, in text order, disjoint, none empty. */
  static List<int[]> of(String unit, String text, int[] tokenStarts) {
    switch (unit) {
      case "word":
        return words(text);
      case "sentence":
        {
          int[] starts = SentenceSplitter.LLMLINGUA.starts(text);
          return stripped(text, starts);
        }
      case "token":
        {
          return stripped(text, java.util.Arrays.stream(tokenStarts).distinct().toArray());
        }
      default:
        throw new IllegalArgumentException(
            "lexical_unit: unsupported value \"" + unit + "\" (token, word or sentence)");
    }
  }

  static List<int[]> words(String text) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        i += len;
      } else if (isUnspaced(cp)) {
        out.add(new int[] {i, i + len});
        i += len;
      } else {
        int s = i;
        while (i < n
            && !Character.isWhitespace(text.codePointAt(i))
            && !isUnspaced(text.codePointAt(i))) {
          i += Character.charCount(text.codePointAt(i));
        }
        out.add(new int[] {s, i});
      }
    }
    return out;
  }

  private static boolean isUnspaced(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }

  /**
   * The pieces between consecutive {@code starts}, without surrounding whitespace; blank pieces are
   * skipped.
   */
  private static List<int[]> stripped(String text, int[] starts) {
    List<int[]> out = new ArrayList<>();
    for (int k = 0; k < starts.length; k++) {
      int s = starts[k];
      int e = k + 1 < starts.length ? starts[k + 1] : text.length();
      while (s < e && Character.isWhitespace(text.charAt(s))) {
        s++;
      }
      while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
        e--;
      }
      if (s < e) {
        out.add(new int[] {s, e});
      }
    }
    return out;
  }
}
