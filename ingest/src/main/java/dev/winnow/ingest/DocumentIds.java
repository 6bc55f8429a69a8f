package dev.winnow.ingest;

import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * Stable document ids derived from content, for inputs that carry no id.
 *
 * <p>The id is {@code "h" + 32 hex digits} of the 128-bit XXH3 hash of the text's UTF-8 bytes: the
 * same text always gets the same id on every machine and run, and two different texts collide with
 * probability about 2^-64 even in corpora of billions of documents.
 */
public final class DocumentIds {
  private static final LongTupleHashFunction XX128 = LongTupleHashFunction.xx128();

  private DocumentIds() {}

  public static String fromContent(String text) {
    long[] h = XX128.hashBytes(text.getBytes(StandardCharsets.UTF_8));
    return "h" + hex(h[0]) + hex(h[1]);
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }
}
