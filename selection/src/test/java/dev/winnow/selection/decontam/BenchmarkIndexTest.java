package dev.winnow.selection.decontam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkIndexTest {
  private static final String QUESTION =
      "Which of the following best describes the primary function of the mitochondria in a"
          + " eukaryotic cell during aerobic respiration?";

  @Test
  void wordsIgnoreCasePunctuationAndLineBreaks() {
    assertEquals(List.of("it", "s", "a", "test", "42"), NgramWords.of("It's  a\nTEST -- 42!"));
  }

  @Test
  void aRecasedRewrappedCopyIsCaught() {
    BenchmarkIndex idx = new BenchmarkIndex(13);
    idx.add("mmlu.jsonl", "q1", QUESTION);
    String doc =
        "Study guide.\nWHICH of the following, best describes the primary\nfunction of the"
            + " MITOCHONDRIA in a eukaryotic cell... during aerobic respiration? Answer: B";
    var m = idx.match(doc).orElseThrow();
    assertEquals("mmlu.jsonl", m.benchmark());
    assertEquals("q1", m.itemId());
    assertEquals(13, m.words());
    assertEquals(
        "which of the following best describes the primary function of the mitochondria in",
        m.ngram());
  }

  @Test
  void twelveSharedWordsAreNotThirteen() {
    BenchmarkIndex idx = new BenchmarkIndex(13);
    idx.add("b", "q1", QUESTION);
    // the first 12 words of the question, then something else
    String twelve =
        "which of the following best describes the primary function of the mitochondria banana";
    assertFalse(idx.match(twelve).isPresent());
    String thirteen = twelve.replace(" banana", " in");
    assertTrue(idx.match(thirteen).isPresent());
  }

  @Test
  void anItemShorterThanNIsMatchedWhole() {
    BenchmarkIndex idx = new BenchmarkIndex(13);
    idx.add("b", "short", "The capital of Australia is Canberra.");
    var m =
        idx.match("Everyone knows: the CAPITAL of Australia is\nCanberra, not Sydney.")
            .orElseThrow();
    assertEquals("short", m.itemId());
    assertEquals(6, m.words());
    assertFalse(idx.match("The capital of Australia is Sydney, many think.").isPresent());
  }

  @Test
  void manyItemsGrowTheTableAndTheFirstItemKeepsASharedNgram() {
    BenchmarkIndex idx = new BenchmarkIndex(5);
    for (int i = 0; i < 5_000; i++) {
      idx.add("b", "i" + i, "item number " + i + " has these five shared words and more " + i);
    }
    assertEquals(5_000, idx.items());
    assertEquals("i0", idx.match("x has these five shared words y").orElseThrow().itemId());
    assertEquals("i4321", idx.match("so item number 4321 has these").orElseThrow().itemId());
    assertFalse(idx.match("item number 99999 has these").isPresent());
    assertTrue(idx.bytes() > idx.keys() * 12L);
    assertFalse(idx.add("b", "empty", "?! ..."), "an item without words is not added");
  }
}
