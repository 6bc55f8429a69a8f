package dev.winnow.prompt;

import java.util.Locale;

/**
 * How token-level decisions are turned into text.
 *
 * <ul>
 *   <li>{@link #COMPAT}: LLMLingua v0.2.2 exactly, including its quirks (it keeps or drops single
 *       tokens, so words fuse: "St Kitts and Nevis" → "St Kitt andis", and multi-byte characters
 *       split across tokens are garbled).
 *   <li>{@link #WORDS}: the same scores, but whole words are kept or dropped (never a cut inside a
 *       word or a UTF-8 character), and the kept token count meets the requested budget.
 * </ul>
 */
public enum CompressionMode {
  COMPAT,
  WORDS;

  public static CompressionMode parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRequestException(
          "mode", "illegal value \"" + name + "\": must be compat or words");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
