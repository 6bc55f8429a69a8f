package dev.winnow.selection.decontam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words n-grams are made of: maximal runs of letters, digits and combining marks, lower-cased;
 * everything else (punctuation, whitespace, line breaks) only separates words. So a re-cased,
 * re-punctuated or re-wrapped copy of a text has the same words.
 */
public final class NgramWords {
  private NgramWords() {}

  /** The words of {@code text}, in order. */
  public static List<String> of(CharSequence text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !wordChar(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && wordChar(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.subSequence(start, i).toString().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static boolean wordChar(char c) {
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    int t = Character.getType(c);
    return t == Character.NON_SPACING_MARK
        || t == Character.COMBINING_SPACING_MARK
        || Character.isSurrogate(c);
  }
}
