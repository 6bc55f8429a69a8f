package dev.winnow.selection.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.selection.normalize.TextNormalizer;
import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongTupleHashFunction;
import org.junit.jupiter.api.Test;

class ExactDedupKeyTest {

  @Test
  void keyIs32LowercaseHexDigitsOfXx128OfTheUtf8Bytes() {
    String key = ExactDedupKey.of("hello world");
    assertTrue(key.matches("[0-9a-f]{32}"), key);
    long[] h =
        LongTupleHashFunction.xx128().hashBytes("hello world".getBytes(StandardCharsets.UTF_8));
    assertEquals(String.format("%016x%016x", h[1], h[0]), key); // high word first
  }

  @Test
  void keyIsTheCanonicalXxh128HexDigest() {
    // reference value of XXH3-128 (seed 0) of the empty input, high64 then low64
    assertEquals("99aa06d3014798d86001c324468d497f", ExactDedupKey.of(""));
  }

  @Test
  void keyIsStableAcrossCallsAndDistinguishesTexts() {
    assertEquals(ExactDedupKey.of("same text"), ExactDedupKey.of(new String("same text")));
    assertNotEquals(ExactDedupKey.of("same text"), ExactDedupKey.of("same text."));
  }

  @Test
  void textsEqualAfterNormalizationShareAKey() {
    TextNormalizer n = new TextNormalizer();
    assertEquals(
        ExactDedupKey.of(n.normalize("Caf\u00e9  au lait\r\n")),
        ExactDedupKey.of(n.normalize("Cafe\u0301 au\tlait")));
  }
}
