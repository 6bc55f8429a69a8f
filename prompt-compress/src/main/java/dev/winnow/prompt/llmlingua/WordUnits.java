package dev.winnow.prompt.llmlingua;

import dev.winnow.kernels.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A token sequence cut into the smallest pieces that can be dropped without damaging text: whole
 * words with their leading space, punctuation, whitespace runs, single CJK characters. A cut is
 * allowed only between tokens, only on a UTF-8 character boundary, and never between two letters or
 * digits of one word ("Kitts" may go; "Kitt" + "s" may not), inside a contraction ({@code don't}),
 * a compound ({@code pro-whaling}) or a number written with separators ({@code 5,000}); a word
 * keeps the spaces before it, so that dropping it cannot fuse its neighbours (line breaks stay
 * units of their own). Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
 * Myanmar) may be cut between characters, as a reader of those scripts would delete them.
 *
 * <p>Pieces longer than {@link #MAX_UNIT_TOKENS} tokens (a URL, a base64 blob) are split at
 * character boundaries so that a window never has to hold one piece bigger than the model.
 */
final class WordUnits {
  static final int MAX_UNIT_TOKENS = 48;

  /**
   * Token index where each unit starts, plus the total at the end: unit u is tokens [starts[u],
   * starts[u+1]).
   */
  final int[] starts;

  /** The text of each unit; their concatenation is the decoded sequence. */
  final String[] texts;

  private WordUnits(int[] starts, String[] texts) {
    this.starts = starts;
    this.texts = texts;
  }

  int size() {
    return texts.length;
  }

  int tokens(int unit) {
    return starts[unit + 1] - starts[unit];
  }

  static WordUnits of(Tokenizer tokenizer, int[] ids) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    int[] byteOffset = new int[ids.length + 1];
    for (int i = 0; i < ids.length; i++) {
      byteOffset[i] = all.size();
      all.writeBytes(tokenizer.tokenBytes(ids[i]));
    }
    byteOffset[ids.length] = all.size();
    byte[] bytes = all.toByteArray();
    // UTF-16 offset of every byte offset that starts a character (-1 inside a character)
    int[] charAt = new int[bytes.length + 1];
    int chars = 0;
    for (int b = 0; b < bytes.length; b++) {
      int lead = bytes[b] & 0xFF;
      if ((lead & 0xC0) == 0x80) {
        charAt[b] = -1;
      } else {
        charAt[b] = chars;
        chars += lead >= 0xF0 ? 2 : 1;
      }
    }
    charAt[bytes.length] = chars;
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean clean = text.length() == chars;
    List<Integer> starts = new ArrayList<>();
    List<Integer> charStarts = new ArrayList<>();
    int unitStart = 0;
    for (int t = 0; t <= ids.length; t++) {
      boolean cut;
      int c = t == ids.length ? text.length() : clean ? charAt[byteOffset[t]] : -1;
      if (t == 0 || t == ids.length) {
        cut = true;
      } else if (c < 0) {
        cut = false;
      } else {
        cut = !joins(text, c) || t - unitStart >= MAX_UNIT_TOKENS;
      }
      if (cut && t < ids.length) {
        starts.add(t);
        charStarts.add(c < 0 ? 0 : c);
        unitStart = t;
      }
    }
    int n = starts.size();
    int[] s = new int[n + 1];
    String[] texts = new String[n];
    for (int u = 0; u < n; u++) {
      s[u] = starts.get(u);
    }
    s[n] = ids.length;
    if (!clean) {
      // the sequence is not valid UTF-8 on its own (cannot happen for encoded text): one unit per
      // token run
      for (int u = 0; u < n; u++) {
        texts[u] = tokenizer.decode(java.util.Arrays.copyOfRange(ids, s[u], s[u + 1]));
      }
    } else {
      for (int u = 0; u < n; u++) {
        int to = u + 1 < n ? charStarts.get(u + 1) : text.length();
        texts[u] = text.substring(charStarts.get(u), to);
      }
    }
    return new WordUnits(s, texts);
  }

  /** Whether the characters either side of {@code c} belong to one word. */
  static boolean joins(String text, int c) {
    if (c <= 0 || c >= text.length()) {
      return false;
    }
    int p = text.codePointBefore(c);
    int n = text.codePointAt(c);
    if ((Character.isSpaceChar(p) || p == '\t')
        && !Character.isWhitespace(n)
        && !Character.isSpaceChar(n)) {
      return true; // a word keeps the space before it, so dropping it never fuses its neighbours
    }
    if (wordChar(p) && wordChar(n)) {
      return !(spaceless(p) || spaceless(n)) || mark(n);
    }
    int after =
        c + Character.charCount(n) < text.length()
            ? text.codePointAt(c + Character.charCount(n))
            : -1;
    int before =
        c - Character.charCount(p) > 0 ? text.codePointBefore(c - Character.charCount(p)) : -1;
    if (!wordChar(p)
        && !Character.isWhitespace(p)
        && wordChar(n)
        && (before < 0 || Character.isWhitespace(before) || Character.isSpaceChar(before))) {
      return true; // opening punctuation ("research", (IWC)) stays with its word
    }
    if (Character.isLetterOrDigit(p)
        && connector(n)
        && after >= 0
        && Character.isLetterOrDigit(after)) {
      return true;
    }
    if (connector(p)
        && Character.isLetterOrDigit(n)
        && before >= 0
        && Character.isLetterOrDigit(before)) {
      return true;
    }
    if (Character.isLetter(p) && apostrophe(n) && after >= 0 && Character.isLetter(after)) {
      return true;
    }
    if (apostrophe(p) && Character.isLetter(n) && before >= 0 && Character.isLetter(before)) {
      return true;
    }
    if (Character.isDigit(p) && (n == ',' || n == '.') && after >= 0 && Character.isDigit(after)) {
      return true;
    }
    return (p == ',' || p == '.')
        && Character.isDigit(n)
        && before >= 0
        && Character.isDigit(before);
  }

  private static boolean wordChar(int cp) {
    return Character.isLetterOrDigit(cp) || mark(cp);
  }

  private static boolean mark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /**
   * Hyphens and similar marks inside compounds ({@code pro-whaling}, {@code km/h}, {@code
   * snake_case}).
   */
  private static boolean connector(int cp) {
    return cp == '-' || cp == '\u2010' || cp == '\u2011' || cp == '/' || cp == '_';
  }

  private static boolean apostrophe(int cp) {
    return cp == '\'' || cp == '\u2019';
  }

  /** Scripts written without spaces between words. */
  private static boolean spaceless(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.THAI
        || script == Character.UnicodeScript.LAO
        || script == Character.UnicodeScript.KHMER
        || script == Character.UnicodeScript.MYANMAR;
  }
}
