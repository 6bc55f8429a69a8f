package dev.winnow.selection.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both rule sets: {@link SentenceSplitter#LLMLINGUA} (split) and {@link SentenceSplitter#DATATROVE}
 * (count).
 */
class SentenceSplitterTest {
  private final SentenceSplitter splitter = SentenceSplitter.LLMLINGUA;

  @Test
  void whitespaceAfterASentenceStaysWithItAndTheTextIsRebuilt() {
    String text = "  The cat sat.  It purred!\n\nDid it sleep? Yes.";
    List<String> s = splitter.split(text);
    assertEquals(List.of("  The cat sat.  ", "It purred!\n\n", "Did it sleep? ", "Yes."), s);
    assertEquals(text, String.join("", s));
  }

  @Test
  void abbreviationsInitialsAndAcronymsDoNotEndSentences() {
    assertEquals(
        List.of("Mr. Smith met Dr. Jones at St. Paul's. ", "They left."),
        splitter.split("Mr. Smith met Dr. Jones at St. Paul's. They left."));
    assertEquals(
        List.of("J. R. R. Tolkien wrote it, e.g. The Hobbit, in the U.K. and elsewhere. ", "Fine."),
        splitter.split(
            "J. R. R. Tolkien wrote it, e.g. The Hobbit, in the U.K. and elsewhere. Fine."));
    assertEquals(
        List.of("Apples, pears, etc. Were sold."),
        splitter.split("Apples, pears, etc. Were sold."));
    assertEquals(
        List.of("He said no. ", "We sat. ", "Then we left."),
        splitter.split("He said no. We sat. Then we left."));
  }

  @Test
  void aSentenceNeedsWhitespaceAndAPlausibleStartAfterIt() {
    assertEquals(
        List.of("It costs 3.5 dollars per lb. of flour, see example.com now."),
        splitter.split("It costs 3.5 dollars per lb. of flour, see example.com now."));
    assertEquals(
        List.of("He wrote it in 1999. ", "2001 was later. ", "\"Really?\" ", "(Yes.)"),
        splitter.split("He wrote it in 1999. 2001 was later. \"Really?\" (Yes.)"));
    assertEquals(List.of("Wait... ", "What?! ", "No."), splitter.split("Wait... What?! No."));
    assertEquals(List.of("a line\nanother line"), splitter.split("a line\nanother line"));
  }

  @Test
  void closingQuotesStayWithTheirSentence() {
    assertEquals(
        List.of("She said \"go.\" ", "He went."), splitter.split("She said \"go.\" He went."));
  }

  @Test
  void cjkFullStopsEndSentencesWithoutWhitespace() {
    assertEquals(
        List.of("今天下雨了。", "我们在家！", "你呢？ ", "Fine."), splitter.split("今天下雨了。我们在家！你呢？ Fine."));
    assertEquals(List.of("「好。」", "走吧。"), splitter.split("「好。」走吧。"));
  }

  @Test
  void emptyAndUnterminatedText() {
    assertEquals(List.of(), splitter.split(""));
    assertEquals(List.of("no full stop here"), splitter.split("no full stop here"));
    assertEquals(List.of("Ends here.  \n"), splitter.split("Ends here.  \n"));
  }

  @Test
  void sentenceCounts() {
    SentenceSplitter splitter = SentenceSplitter.DATATROVE;
    assertEquals(1, splitter.count("One sentence without a stop"));
    assertEquals(3, splitter.count("First one. Second one! Third one?"));
    assertEquals(2, splitter.count("Mr. Smith paid $3.50 for it. Then he left."));
    assertEquals(2, splitter.count("\"Go home.\" She went."));
    assertEquals(0, splitter.count("..."));
  }

  @Test
  void theTwoRuleSetsDifferWhereTheirReferencesDo() {
    // "no." is an abbreviation for datatrove's list (as in Punkt's English model), a word for
    // prompts
    assertEquals(1, SentenceSplitter.DATATROVE.count("He said no. We sat."));
    assertEquals(2, SentenceSplitter.LLMLINGUA.split("He said no. We sat.").size());
    // datatrove's count needs no capital after the stop; the prompt splitter does
    assertEquals(2, SentenceSplitter.DATATROVE.count("It ended. then more"));
    assertEquals(1, SentenceSplitter.LLMLINGUA.split("It ended. then more").size());
    // a no-break space is whitespace in Python (datatrove), not in Java's definition
    assertEquals(2, SentenceSplitter.DATATROVE.count("It ended.\u00a0Then more"));
    assertEquals(1, SentenceSplitter.LLMLINGUA.split("It ended.\u00a0Then more").size());
  }
}
