package dev.winnow.selection.normalize;

import java.io.Serializable;
import java.text.Normalizer;

/**
 * Canonicalises document text before quality filtering and exact deduplication, keeping line and
 * paragraph structure intact (the Gopher repetition and C4/FineWeb line rules depend on it).
 *
 * <p>The rules, applied in this order:
 *
 * <ol>
 *   <li><b>Unicode NFC</b> ({@link Normalizer.Form#NFC}), so composed and decomposed spellings of
 *       the same text ("é" vs "e" + U+0301) become identical.
 *   <li><b>Line breaks</b>: CRLF, CR, NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR
 *       (U+2029), vertical tab (U+000B) and form feed (U+000C) each become one {@code \n}.
 *   <li><b>Horizontal whitespace</b>: tab (U+0009) and every Unicode space separator (category Zs:
 *       U+0020, NBSP U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000) become U+0020, and a
 *       run of them becomes a single space.
 *   <li><b>Control characters</b>: every other character of category Cc (U+0000–U+001F,
 *       U+007F–U+009F except the line breaks above) and the byte-order mark U+FEFF are removed.
 *       Other format characters (category Cf, e.g. soft hyphen, zero-width joiner) are kept: they
 *       carry meaning in some scripts.
 *   <li><b>Lines are trimmed</b>: spaces at the start and end of each line are removed, so a line
 *       holding only whitespace becomes empty.
 *   <li><b>Blank lines</b>: three or more consecutive {@code \n} (i.e. two or more empty lines)
 *       become exactly {@code "\n\n"}, one paragraph break. A single {@code \n} (line break) and
 *       {@code "\n\n"} (paragraph break) are kept as they are.
 *   <li><b>The document is trimmed</b>: no leading or trailing spaces or newlines.
 * </ol>
 *
 * The result contains no {@code \r}, no tab, no control character other than {@code \n}, never two
 * spaces in a row and never three newlines in a row. The normalizer is idempotent: {@code
 * normalize(normalize(s)).equals(normalize(s))}. It is stateless and thread-safe.
 */
public final class TextNormalizer implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Returns the normalized form of {@code text} following the rules in the class comment. */
  public String normalize(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text to normalize must not be null");
    }
    String nfc =
        Normalizer.isNormalized(text, Normalizer.Form.NFC)
            ? text
            : Normalizer.normalize(text, Normalizer.Form.NFC);
    int n = nfc.length();
    StringBuilder out = new StringBuilder(n);
    // Pending separators are only written once a visible character follows them: this trims
    // lines and the document and collapses runs in a single pass.
    int pendingNewlines = 0;
    boolean pendingSpace = false;
    boolean atLineStart = true;
    for (int i = 0; i < n; i++) {
      char c = nfc.charAt(i);
      // printable ASCII first: most text is made of it, and it needs no look-up of the
      // character's Unicode category (the branches below classify it the same way)
      if (!(c > ' ' && c < 0x7F)) {
        if (c == ' ' || c == '\t') {
          if (!atLineStart) {
            pendingSpace = true;
          }
          continue;
        }
        if (isLineBreak(c)) {
          if (c == '\r' && i + 1 < n && nfc.charAt(i + 1) == '\n') {
            i++;
          }
          pendingNewlines++;
          pendingSpace = false; // trailing spaces of a line are dropped
          atLineStart = true;
          continue;
        }
        int type = Character.getType(c);
        if (type == Character.SPACE_SEPARATOR) {
          if (!atLineStart) {
            pendingSpace = true;
          }
          continue;
        }
        if (type == Character.CONTROL || c == '\uFEFF') {
          continue; // removed
        }
      }
      if (pendingNewlines > 0) {
        if (out.length() > 0) {
          out.append(pendingNewlines >= 2 ? "\n\n" : "\n");
        }
        pendingNewlines = 0;
      } else if (pendingSpace) {
        out.append(' ');
      }
      pendingSpace = false;
      atLineStart = false;
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isLineBreak(char c) {
    return c == '\n'
        || c == '\r'
        || c == '\u000B'
        || c == '\u000C'
        || c == '\u0085'
        || c == '\u2028'
        || c == '\u2029';
  }
}
