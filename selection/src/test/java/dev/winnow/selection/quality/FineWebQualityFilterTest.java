package dev.winnow.selection.quality;

import static dev.winnow.selection.quality.TestTexts.fillers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each FineWeb rule with datatrove's defaults, on a text just passing and one just failing. */
class FineWebQualityFilterTest {

  private final FineWebQualityFilter filter = new FineWebQualityFilter();

  /**
   * A distinct 39-character line of 8 filler words (not short), optionally ending with a period.
   */
  private static String longLine(int i, boolean stop) {
    return fillers(i * 8, 8) + (stop ? "." : "");
  }

  private void assertKept(String text) {
    FilterOutcome outcome = filter.apply(text);
    assertTrue(outcome.isKept(), () -> "expected kept, got " + outcome);
  }

  private void assertRejected(String text, String rule, double value, String threshold) {
    FilterOutcome outcome = filter.apply(text);
    assertFalse(outcome.isKept(), () -> "expected rejection by " + rule + ", text was kept");
    Rejection r = outcome.rejection();
    assertEquals("fineweb", r.filter());
    assertEquals(rule, r.rule());
    assertEquals(value, r.value(), 1e-9);
    assertEquals(threshold, r.threshold());
  }

  private static String lines(int total, int withStop) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      out.add(longLine(i, i < withStop));
    }
    return String.join("\n", out);
  }

  @Test
  void linePunctuationRatio() {
    assertKept(lines(50, 7)); // 0.14
    assertRejected(lines(50, 6), "line_punct_ratio", 0.12, "<= 0.12"); // at the bound is rejected
  }

  @Test
  void everyTerminalMarkCounts() {
    String text =
        String.join(
            "\n",
            fillers(0, 8) + ".",
            fillers(8, 8) + "'",
            fillers(16, 8) + "\"",
            fillers(24, 8) + "!",
            fillers(32, 8) + "?",
            fillers(40, 8) + ";");
    FilterOutcome outcome = filter.apply(text);
    assertTrue(outcome.isKept(), () -> outcome.toString());
  }

  @Test
  void shortLineRatio() {
    // 100 lines, all ending with a period; short ones are 30 characters or less
    List<String> pass = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      pass.add(i < 66 ? fillers(i * 8, 5) + "." : longLine(i, true)); // 25 characters
    }
    assertKept(String.join("\n", pass));
    List<String> fail = new ArrayList<>(pass);
    fail.set(66, fillers(66 * 8, 5) + " abcd."); // exactly 30 characters: short
    assertEquals(30, fail.get(66).length());
    assertRejected(String.join("\n", fail), "short_line_ratio", 0.67, ">= 0.67");
  }

  @Test
  void duplicateLineCharacterRatio() {
    String dup = "Repeated line of text."; // 22 characters
    // ratio = 22 / characters without newlines; with m unique 39-character lines plus two copies
    int m = 1;
    while (22.0 / (m * 40 + 44) >= 0.01) {
      m++;
    }
    String passing = dup + "\n" + lines(m, m) + "\n" + dup;
    String failing = dup + "\n" + lines(m - 1, m - 1) + "\n" + dup;
    assertKept(passing);
    assertRejected(failing, "char_dup_ratio", 22.0 / ((m - 1) * 40 + 44), ">= 0.01");
  }

  @Test
  void blankLinesAreNotDuplicates() {
    assertKept(lines(10, 10).replace("\n", "\n\n"));
  }

  @Test
  void newlinesPerWord() {
    // each line is 2 words and a period (3 tokens), longer than 30 characters
    List<String> l = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      l.add(
          "abcdefghijklmnop"
              + TestTexts.filler(i)
              + " qrstuvwxyzabcdef"
              + TestTexts.filler(i)
              + ".");
    }
    assertKept(String.join("\n", l.subList(0, 10))); // 9 newlines / 30 tokens = 0.3
    List<String> fail = new ArrayList<>(l.subList(0, 10));
    fail.set(9, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop.");
    assertRejected(String.join("\n", fail), "list_ratio", 9.0 / 29, "> 0.3");
  }
}
