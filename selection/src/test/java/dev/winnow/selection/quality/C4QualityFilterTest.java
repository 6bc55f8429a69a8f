package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The C4 line rules (drop a line, counted) and document rules (reject) with datatrove's defaults.
 */
class C4QualityFilterTest {

  private static final String FIVE_SENTENCES =
      String.join(
          "\n",
          "The first sentence is here.",
          "A second sentence follows it.",
          "Then comes the third one!",
          "Is this the fourth sentence?",
          "The fifth sentence ends the text.");

  private final C4QualityFilter filter = new C4QualityFilter();

  private FilterOutcome.Kept kept(String text) {
    FilterOutcome outcome = filter.apply(text);
    assertTrue(outcome.isKept(), () -> "expected kept, got " + outcome);
    return (FilterOutcome.Kept) outcome;
  }

  private void assertRejected(String text, String rule, double value, String threshold) {
    FilterOutcome outcome = filter.apply(text);
    assertFalse(outcome.isKept(), () -> "expected rejection by " + rule + ", text was kept");
    assertEquals(new Rejection("c4", rule, value, threshold), outcome.rejection());
  }

  @Test
  void cleanTextIsKeptUnchanged() {
    FilterOutcome.Kept k = kept(FIVE_SENTENCES);
    assertEquals(FIVE_SENTENCES, k.text());
    assertEquals(Map.of(), k.removedLines());
  }

  @Test
  void tooFewSentences() {
    kept(FIVE_SENTENCES);
    String four = FIVE_SENTENCES.substring(0, FIVE_SENTENCES.lastIndexOf('\n'));
    assertRejected(four, "too_few_sentences", 4, "< 5");
  }

  @Test
  void sentencesAreCountedWithinLines() {
    kept("One sentence here. Two sentences here. Three here!\nFour is here. And five is here.");
    assertRejected(
        "One sentence here. Two sentences here.\nMr. Smith met Dr. Jones at 3.5 km.",
        "too_few_sentences",
        3,
        "< 5");
  }

  @Test
  void lineWithAWordOverMaxLengthIsRemoved() {
    String ok = "A long word " + "x".repeat(1000) + " fits.";
    String tooLong = "A long word " + "x".repeat(1001) + " does not.";
    FilterOutcome.Kept k = kept(FIVE_SENTENCES + "\n" + ok + "\n" + tooLong);
    assertEquals(FIVE_SENTENCES + "\n" + ok, k.text());
    assertEquals(Map.of("too_long_word", 1), k.removedLines());
  }

  @Test
  void lineWithoutTerminalPunctuationIsRemoved() {
    FilterOutcome.Kept k =
        kept(
            "A headline without a stop\n"
                + FIVE_SENTENCES
                + "\nIt trails off...\n"
                + "She said \"yes.\"\nHe said 'no'");
    assertEquals(FIVE_SENTENCES + "\nShe said \"yes.\"\nHe said 'no'", k.text());
    assertEquals(Map.of("no_terminal_punc", 2), k.removedLines());
  }

  @Test
  void emptyLinesCountAsNoTerminalPunctuationAndParagraphBreaksBecomeLineBreaks() {
    FilterOutcome.Kept k = kept(FIVE_SENTENCES.replace("\n", "\n\n"));
    assertEquals(FIVE_SENTENCES, k.text());
    assertEquals(Map.of("no_terminal_punc", 4), k.removedLines());
  }

  @Test
  void lineWithTooFewWordsIsRemoved() {
    FilterOutcome.Kept k = kept(FIVE_SENTENCES + "\nThree words here.\nTwo words.");
    assertEquals(FIVE_SENTENCES + "\nThree words here.", k.text());
    assertEquals(Map.of("too_few_words", 1), k.removedLines());
  }

  @Test
  void loremIpsumRejectsTheDocument() {
    assertRejected(
        FIVE_SENTENCES + "\nLorem ipsum dolor sit amet.",
        "lorem_ipsum",
        1,
        "contains \"lorem ipsum\"");
    // only lines that passed the earlier line rules are looked at, as in datatrove
    assertEquals(
        Map.of("no_terminal_punc", 1),
        kept(FIVE_SENTENCES + "\nLorem ipsum dolor sit amet").removedLines());
  }

  @Test
  void javascriptLineIsRemoved() {
    FilterOutcome.Kept k = kept(FIVE_SENTENCES + "\nPlease enable JavaScript in your browser.");
    assertEquals(FIVE_SENTENCES, k.text());
    assertEquals(Map.of("javascript", 1), k.removedLines());
  }

  @Test
  void curlyBracketRejectsTheDocument() {
    assertRejected(
        FIVE_SENTENCES + "\nThe function body is { return x; }.",
        "curly_bracket",
        1,
        "contains \"{\"");
    assertEquals(
        Map.of("no_terminal_punc", 1), kept(FIVE_SENTENCES + "\nvar x = { a: 1 }").removedLines());
  }

  @Test
  void policyLineIsRemoved() {
    FilterOutcome.Kept k =
        kept(
            FIVE_SENTENCES
                + "\nThis site uses cookies to improve your experience.\n"
                + "Read our Privacy Policy before continuing.");
    assertEquals(FIVE_SENTENCES, k.text());
    assertEquals(Map.of("policy", 2), k.removedLines());
  }

  @Test
  void citationsAreRemovedFromKeptLines() {
    FilterOutcome.Kept k =
        kept(FIVE_SENTENCES + "\nThe river is long.[12]\nIt floods often.[citation needed]");
    assertEquals(FIVE_SENTENCES + "\nThe river is long.\nIt floods often.", k.text());
  }

  @Test
  void minusOneDisablesTheSentenceMinimum() {
    C4QualityConfig c = new C4QualityConfig();
    c.minNumSentences = -1;
    assertTrue(new C4QualityFilter(c).apply("Only one sentence here.").isKept());
  }
}
