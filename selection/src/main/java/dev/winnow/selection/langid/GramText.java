package dev.winnow.selection.langid;

/**
 * The character n-grams (1 to 3 characters) that language profiles count, in the convention of
 * Lingua's language models: a word is a maximal run of letters ({@link Character#isLetter(char)},
 * so combining marks, digits, punctuation and spaces all separate words), lower-cased, and its
 * grams are its substrings of 1 to 3 characters. So {@code "To be!"} yields {@code t, o, to, b, e,
 * be}. Grams never cross a word boundary.
 *
 * <p>Lower-casing goes through a table of all 65,536 UTF-16 code units built once (0 marks a
 * separator), so a document costs one array load per character; surrogate halves are separators
 * (scripts outside the BMP are not in the built-in profiles).
 */
final class GramText {
  static final int MAX_ORDER = 3;

  private static final char[] MAP = buildMap();

  private GramText() {}

  private static char[] buildMap() {
    char[] m = new char[65536];
    for (int c = 0; c < 65536; c++) {
      char ch = (char) c;
      m[c] = Character.isLetter(ch) ? Character.toLowerCase(ch) : 0;
    }
    return m;
  }

  /** The lower-cased letter {@code c}, or 0 when {@code c} separates words. */
  static char normalize(char c) {
    return MAP[c];
  }

  /**
   * A gram of up to three UTF-16 units packed into a long: 16 bits per unit, the length in the top
   * bits, so grams of different lengths never collide.
   */
  static long pack(char a) {
    return (1L << 48) | a;
  }

  static long pack(char a, char b) {
    return (2L << 48) | ((long) a << 16) | b;
  }

  static long pack(char a, char b, char c) {
    return (3L << 48) | ((long) a << 32) | ((long) b << 16) | c;
  }

  /** The gram {@code s} (1 to 3 characters) packed; -1 when it is not 1 to 3 characters long. */
  static long pack(String s) {
    return switch (s.length()) {
      case 1 -> pack(s.charAt(0));
      case 2 -> pack(s.charAt(0), s.charAt(1));
      case 3 -> pack(s.charAt(0), s.charAt(1), s.charAt(2));
      default -> -1;
    };
  }

  static int order(long packed) {
    return (int) (packed >>> 48);
  }

  static String unpack(long packed) {
    int n = order(packed);
    StringBuilder sb = new StringBuilder(n);
    for (int i = n - 1; i >= 0; i--) {
      sb.append((char) ((packed >>> (16 * i)) & 0xFFFF));
    }
    return sb.toString();
  }

  /** Receives each gram of a text. */
  interface GramSink {
    void gram(long packed);
  }

  /**
   * Feeds the grams of the first {@code maxChars} characters of {@code text} to {@code sink}, in
   * text order; returns how many characters were read.
   */
  static int grams(CharSequence text, int maxChars, GramSink sink) {
    int end = Math.min(text.length(), maxChars);
    // p2, p1: the two characters before the current one in the same word; 0 = none
    char p2 = 0;
    char p1 = 0;
    for (int i = 0; i < end; i++) {
      char c = MAP[text.charAt(i)];
      if (c == 0) {
        p2 = 0;
        p1 = 0;
        continue;
      }
      sink.gram(pack(c));
      if (p1 != 0) {
        sink.gram(pack(p1, c));
        if (p2 != 0) {
          sink.gram(pack(p2, p1, c));
        }
      }
      p2 = p1;
      p1 = c;
    }
    return end;
  }
}
