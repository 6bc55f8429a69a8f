package dev.winnow.selection.quality;

import static dev.winnow.selection.quality.TestTexts.fillers;
import static dev.winnow.selection.quality.TestTexts.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Each Gopher repetition rule at datatrove's default threshold, isolated (the other rules disabled)
 * so that the passing text is kept and the failing text is rejected by exactly the rule under test.
 */
class GopherRepetitionFilterTest {

  /** A config with only the named rule active, at its datatrove default. */
  private static GopherRepetitionConfig only(String rule) {
    GopherRepetitionConfig defaults = new GopherRepetitionConfig();
    GopherRepetitionConfig c = new GopherRepetitionConfig();
    c.dupLineFrac = 0;
    c.dupParaFrac = 0;
    c.dupLineCharFrac = 0;
    c.dupParaCharFrac = 0;
    c.topNGrams = new TreeMap<>();
    c.dupNGrams = new TreeMap<>();
    switch (rule) {
      case "dup_line_frac" -> c.dupLineFrac = defaults.dupLineFrac;
      case "dup_para_frac" -> c.dupParaFrac = defaults.dupParaFrac;
      case "dup_line_char_frac" -> c.dupLineCharFrac = defaults.dupLineCharFrac;
      case "dup_para_char_frac" -> c.dupParaCharFrac = defaults.dupParaCharFrac;
      default -> {
        int n = Integer.parseInt(rule.replaceAll("\\D", ""));
        if (rule.startsWith("top")) {
          c.topNGrams = new TreeMap<>(Map.of(n, defaults.topNGrams.get(n)));
        } else {
          c.dupNGrams = new TreeMap<>(Map.of(n, defaults.dupNGrams.get(n)));
        }
      }
    }
    return c;
  }

  private static void assertKept(String rule, String text) {
    FilterOutcome outcome = new GopherRepetitionFilter(only(rule)).apply(text);
    assertTrue(outcome.isKept(), () -> rule + ": expected kept, got " + outcome);
  }

  private static void assertRejected(String rule, String text, double value, String threshold) {
    FilterOutcome outcome = new GopherRepetitionFilter(only(rule)).apply(text);
    assertFalse(outcome.isKept(), () -> rule + ": expected rejection, text was kept");
    Rejection r = outcome.rejection();
    assertEquals("gopher_repetition", r.filter());
    assertEquals(rule, r.rule());
    assertEquals(value, r.value(), 1e-9, rule);
    assertEquals(threshold, r.threshold());
  }

  /**
   * Tests a character-fraction rule: {@code textWithFiller.apply(m)} builds a text with m filler
   * words whose ratio {@code repeatedChars / length} falls as m grows. Finds the smallest m that
   * passes, then asserts m passes and m - 1 fails with the exact ratio.
   */
  private static void assertCharFractionThreshold(
      String rule, double threshold, long repeatedChars, IntFunction<String> textWithFiller) {
    int m = 1;
    while ((double) repeatedChars / textWithFiller.apply(m).length() > threshold) {
      m++;
    }
    assertTrue(m > 1, "the test text must start above the threshold");
    String passing = textWithFiller.apply(m);
    String failing = textWithFiller.apply(m - 1);
    assertTrue((double) repeatedChars / passing.length() <= threshold);
    assertKept(rule, passing);
    assertRejected(
        rule,
        failing,
        (double) repeatedChars / failing.length(),
        "> " + Thresholds.number(threshold));
  }

  @Test
  void duplicateParagraphFraction() {
    String unique =
        fillers(0, 5)
            + "\n\n"
            + fillers(5, 5)
            + "\n\n"
            + fillers(10, 5)
            + "\n\n"
            + fillers(15, 5)
            + "\n\n"
            + fillers(20, 5)
            + "\n\n"
            + fillers(25, 5);
    assertKept("dup_para_frac", unique + "\n\n" + repeat("Short one.", 4, "\n\n")); // 3 of 10
    assertRejected(
        "dup_para_frac", unique + "\n\n" + repeat("Short one.", 5, "\n\n"), 4.0 / 11, "> 0.3");
  }

  @Test
  void duplicateParagraphCharacterFraction() {
    String para = "This paragraph appears twice.\nIt has two lines.";
    assertCharFractionThreshold(
        "dup_para_char_frac",
        0.2,
        para.length(),
        m -> para + "\n\n" + fillers(0, m) + "\n\n" + para);
  }

  @Test
  void linesInsideAParagraphAreNotParagraphs() {
    String text = "same line\nsame line\nsame line\n\n" + fillers(0, 3);
    assertKept("dup_para_frac", text);
    assertRejected("dup_line_frac", text, 2.0 / 4, "> 0.3");
  }

  @Test
  void duplicateLineFraction() {
    String unique =
        String.join(
            "\n",
            fillers(0, 5),
            fillers(5, 5),
            fillers(10, 5),
            fillers(15, 5),
            fillers(20, 5),
            fillers(25, 5));
    assertKept("dup_line_frac", unique + "\n" + repeat("Short one.", 4, "\n")); // 3 of 10
    assertRejected(
        "dup_line_frac", unique + "\n\n\n" + repeat("Short one.", 5, "\n"), 4.0 / 11, "> 0.3");
  }

  @Test
  void duplicateLineCharacterFraction() {
    String line = "This line appears twice in the text.";
    assertCharFractionThreshold(
        "dup_line_char_frac", 0.2, line.length(), m -> line + "\n" + fillers(0, m) + "\n" + line);
  }

  @Test
  void topNGramCharacterFraction() {
    String[] grams = {"ab cd", "ab cd ef", "ab cd ef gh"};
    double[] thresholds = {0.2, 0.18, 0.16};
    for (int n = 2; n <= 4; n++) {
      String gram = grams[n - 2];
      int k = 10;
      assertCharFractionThreshold(
          "top_" + n + "_gram",
          thresholds[n - 2],
          (long) gram.length() * k,
          m -> repeat(gram, k, " ") + " " + fillers(0, m));
    }
  }

  @Test
  void topNGramTiesGoToTheFirstSeen() {
    // "aaaaaa b" and "c d" both occur twice; the first seen is the longer one: 2 * 8 characters
    String text = "aaaaaa b c d aaaaaa b c d";
    GopherRepetitionConfig c = only("top_2_gram");
    c.topNGrams = new TreeMap<>(Map.of(2, 0.5));
    Rejection r = new GopherRepetitionFilter(c).apply(text).rejection();
    assertEquals(16.0 / text.length(), r.value(), 1e-9);
  }

  @Test
  void duplicatedNGramCharacterFraction() {
    String[] block = "ab cd ef gh ij kl mn op qr st".split(" ");
    double[] thresholds = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
    for (int n = 5; n <= 10; n++) {
      String gram = String.join(" ", java.util.Arrays.copyOf(block, n));
      int copies = 3;
      long repeated =
          (long) (copies - 1) * 2 * n; // each repeat counts its characters without spaces
      assertCharFractionThreshold(
          "duplicated_" + n + "_n_grams",
          thresholds[n - 5],
          repeated,
          m -> repeat(gram, copies, " ") + " " + fillers(0, m));
    }
  }

  @Test
  void defaultsKeepOrdinaryProse() {
    String text =
        "The committee met on Tuesday to discuss the budget.\n"
            + "Members raised concerns about rising costs and delayed projects.\n\n"
            + "A final decision is expected next month, after further consultation with residents.";
    assertTrue(new GopherRepetitionFilter().apply(text).isKept());
  }

  @Test
  void emptyTextIsKept() {
    assertTrue(new GopherRepetitionFilter().apply("").isKept());
  }
}
