package dev.winnow.selection.quality;

import static dev.winnow.selection.quality.TestTexts.fillers;
import static dev.winnow.selection.quality.TestTexts.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each Gopher quality rule with datatrove's defaults, on a text just passing and one just failing.
 */
class GopherQualityFilterTest {

  private final GopherQualityFilter filter = new GopherQualityFilter();

  /** {@code n} words: "the", "and", then filler words (all 4 letters). */
  private static String words(int n) {
    return "the and " + fillers(0, n - 2);
  }

  private void assertKept(String text) {
    FilterOutcome outcome = filter.apply(text);
    assertTrue(outcome.isKept(), () -> "expected kept, got " + outcome);
    assertEquals(text, outcome.text());
  }

  private void assertRejected(String text, String rule, double value, String threshold) {
    FilterOutcome outcome = filter.apply(text);
    assertTrue(!outcome.isKept(), () -> "expected rejection by " + rule + ", text was kept");
    Rejection r = outcome.rejection();
    assertEquals("gopher_quality", r.filter());
    assertEquals(rule, r.rule());
    assertEquals(value, r.value(), 1e-9);
    assertEquals(threshold, r.threshold());
  }

  @Test
  void shortDoc() {
    assertKept(words(50));
    assertRejected(words(49), "gopher_short_doc", 49, "< 50");
  }

  @Test
  void symbolOnlyTokensDoNotCountAsWords() {
    assertRejected(words(49) + " . , -- ...", "gopher_short_doc", 49, "< 50");
  }

  @Test
  void longDoc() {
    assertKept(words(100_000));
    assertRejected(words(100_001), "gopher_long_doc", 100_001, "> 100000");
  }

  @Test
  void belowAverageWordLength() {
    String threeLetters = "the and " + repeat("cat", 48, " ");
    assertKept(threeLetters);
    assertRejected(
        threeLetters.replaceFirst("cat", "at"), "gopher_below_avg_threshold", 149.0 / 50, "< 3");
  }

  @Test
  void aboveAverageWordLength() {
    // 3 + 3 + 46 * 10 + 2 * 17 = 500 characters over 50 words = 10.0
    String tenLetters =
        "the and " + repeat("abcdefghij", 46, " ") + " abcdefghijklmnopq abcdefghijklmnopq";
    assertKept(tenLetters);
    assertRejected(tenLetters + "r", "gopher_above_avg_threshold", 501.0 / 50, "> 10");
  }

  @Test
  void tooManyHashes() {
    // "#" is a token of its own: 90 words + 10 hashes = 0.1 per token, 11 hashes = 11/101
    assertKept(words(90) + repeat(" #", 10, ""));
    assertRejected(words(90) + repeat(" #", 11, ""), "gopher_too_many_hashes", 11.0 / 101, "> 0.1");
  }

  @Test
  void tooManyEllipses() {
    String body = words(90);
    assertKept(repeat("...", 5, " ") + " \u2026 \u2026 \u2026 \u2026 \u2026 " + body);
    assertRejected(
        repeat("...", 6, " ") + " \u2026 \u2026 \u2026 \u2026 \u2026 " + body,
        "gopher_too_many_ellipsis",
        11.0 / 101,
        "> 0.1");
  }

  @Test
  void tooManyBulletLines() {
    // 10 lines of 6 words; 9 bullet lines = 0.9 passes, 10 of 10 fails
    StringBuilder pass = new StringBuilder("the and " + fillers(0, 4));
    StringBuilder fail = new StringBuilder("- the and " + fillers(0, 4));
    for (int i = 1; i < 10; i++) {
      String bullet = (i % 2 == 0 ? "- " : "  \u2022 ") + fillers(i * 10, 6);
      pass.append('\n').append(bullet);
      fail.append('\n').append(bullet);
    }
    assertKept(pass.toString());
    assertRejected(fail.toString(), "gopher_too_many_bullets", 1.0, "> 0.9");
  }

  @Test
  void tooManyLinesEndingInEllipsis() {
    StringBuilder pass = new StringBuilder("the and " + fillers(0, 4));
    for (int i = 1; i < 10; i++) {
      pass.append('\n')
          .append(fillers(i * 10, 6))
          .append(i <= 3 ? (i == 3 ? " \u2026  " : "...") : "");
    }
    assertKept(pass.toString()); // 3 of 10 lines
    String fail = pass.toString().replaceFirst(fillers(40, 6), fillers(40, 6) + "...");
    assertRejected(fail, "gopher_too_many_end_ellipsis", 0.4, "> 0.3");
  }

  @Test
  void tooFewWordsWithALetter() {
    // tokens without any letter (numbers) lower the alphabetic share: 80 / 100 passes, 80 / 101
    // fails
    assertKept(words(80) + repeat(" 123", 20, ""));
    assertRejected(
        words(80) + repeat(" 123", 21, ""), "gopher_below_alpha_threshold", 80.0 / 101, "< 0.8");
  }

  @Test
  void tooFewStopWords() {
    assertKept("to of " + fillers(0, 48));
    assertRejected("to " + fillers(0, 49), "gopher_enough_stop_words", 1, "< 2");
  }

  @Test
  void stopWordsAreCaseSensitiveAsInDatatrove() {
    assertRejected("The And " + fillers(0, 48), "gopher_enough_stop_words", 0, "< 2");
  }

  @Test
  void zeroDisablesARule() {
    GopherQualityConfig config = new GopherQualityConfig();
    config.minDocWords = 0;
    config.minStopWords = 0;
    assertTrue(new GopherQualityFilter(config).apply(fillers(0, 10)).isKept());
  }
}
