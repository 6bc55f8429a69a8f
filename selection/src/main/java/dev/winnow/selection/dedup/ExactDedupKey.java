package dev.winnow.selection.dedup;

import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * The exact-deduplication key of a document: a 128-bit XXH3 hash (xx128, {@link
 * LongTupleHashFunction#xx128()} with seed 0) of the UTF-8 bytes of its <em>normalized</em> text,
 * written as 32 lowercase hex digits.
 *
 * <p>Two documents share a key exactly when their normalized texts are equal (up to a
 * 2<sup>-128</sup> collision chance), so the caller must pass text that went through {@link
 * dev.winnow.selection.normalize.TextNormalizer}; the key does not normalize again, because the
 * pipeline already holds the normalized text and normalizing twice would be wasted work.
 *
 * <p>Hex layout: XXH128's canonical form, the high 64 bits then the low 64 bits, each as 16
 * zero-padded hex digits ({@code xx128()} returns {@code [low, high]}), so a key equals what other
 * XXH3 implementations print, e.g. Python's {@code
 * xxhash.xxh3_128_hexdigest(text.encode("utf-8"))}; the empty text has key {@code
 * 99aa06d3014798d86001c324468d497f}. The key is stable across JVMs, platforms and releases (XXH3 is
 * a fixed specification), so keys may be persisted.
 */
public final class ExactDedupKey {

  private static final LongTupleHashFunction XX128 = LongTupleHashFunction.xx128();

  private ExactDedupKey() {}

  /** The 32-hex-digit key of already normalized text. */
  public static String of(String normalizedText) {
    if (normalizedText == null) {
      throw new IllegalArgumentException("text to hash must not be null");
    }
    return toHex(hash128(normalizedText));
  }

  /** The 128-bit xx128 hash of the UTF-8 bytes of {@code text} as {@code {high, low}}. */
  static long[] hash128(String text) {
    long[] lowHigh = XX128.hashBytes(text.getBytes(StandardCharsets.UTF_8));
    return new long[] {lowHigh[1], lowHigh[0]};
  }

  static String toHex(long[] words) {
    StringBuilder sb = new StringBuilder(words.length * 16);
    for (long w : words) {
      String h = Long.toHexString(w);
      for (int pad = h.length(); pad < 16; pad++) {
        sb.append('0');
      }
      sb.append(h);
    }
    return sb.toString();
  }
}
