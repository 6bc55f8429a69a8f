package dev.winnow.kernels.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable Unicode characters, so that BPE can
 * work on strings without whitespace or control characters: the bytes of {@code '!'..'~'}, {@code
 * '¡'..'¬'} and {@code '®'..'ÿ'} stand for themselves, every other byte {@code b} becomes {@code
 * U+0100 + n} where {@code n} counts the bytes before it that do not stand for themselves (so a
 * space, byte 32, is {@code 'Ġ'} U+0120).
 */
final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) (256 + n++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  /** The character standing for byte {@code b} (0–255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xff];
  }

  /** The byte a character stands for, or -1 if it is not in the alphabet. */
  static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** The alphabet string of UTF-8 {@code bytes}. */
  static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(out);
  }
}
