package dev.winnow.selection.text;

/**
 * Which characters count as whitespace. The two definitions differ on the no-break spaces (U+00A0,
 * U+2007, U+202F) and U+0085, which Python counts and Java does not; code that must match a Python
 * reference character for character says which one it follows.
 */
public enum Whitespace {
  /** {@link Character#isWhitespace(char)}: no-break spaces are not whitespace. */
  JAVA {
    @Override
    public boolean test(char c) {
      return Character.isWhitespace(c);
    }
  },
  /** Python's {@code str.isspace} (all of its whitespace is in the BMP). */
  PYTHON {
    @Override
    public boolean test(char c) {
      return isPythonSpace(c);
    }
  };

  /** Whether {@code c} is whitespace under this definition. */
  public abstract boolean test(char c);

  /**
   * Python's {@code str.isspace} for one character, without a virtual call (hot loops of the
   * quality filters).
   */
  public static boolean isPythonSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || c == ' '
        || (c >= '\u001c' && c <= '\u001f')
        || c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }
}
