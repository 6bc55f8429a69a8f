package dev.winnow.prompt.llmlingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecoveryTest {
  private static ProxyLm lm;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @Test
  void restoresFusedWordsFromARealCompressedPrompt() {
    ReferenceCases.Case c = ReferenceCases.load().get(0);
    String compressed =
        new LlmLingua(lm)
            .compress(c.request().validate(), CompressionMode.COMPAT)
            .compressedPrompt();
    assertTrue(
        compressed.contains("the St Kitt andis declaration, a political weapon to"),
        "precondition: " + compressed);
    List<String> whole = new ArrayList<>();
    whole.add(c.request().instruction);
    whole.addAll(c.request().context);
    whole.add(c.request().question);
    String original = String.join("\n\n", whole);
    assertTrue(original.contains("the St Kitts and Nevis declaration, as a political weapon to"));

    String response =
        "Japan cited the St Kitt andis declaration, a political weapon to show more states back it.";
    assertEquals(
        "Japan cited the St Kitts and Nevis declaration, as a political weapon to show more states back it.",
        Recovery.wordAware(lm).recover(original, compressed, response));
    // the reference tokenizes "the" without its leading space: with GPT-2's tokenizer that token
    // never
    // occurs mid-line in the original, so the quote is left as it is
    assertEquals(response, Recovery.reference(lm).recover(original, compressed, response));
  }

  @Test
  void referenceRecoversSpansThatStartWhereTheOriginalHasTheSameToken() {
    String original =
        "St Kitts and Nevis approved the budget. The committee in St Kitts and Nevis met on Monday.";
    String compressed = "St Kitt andis approved budget. committee St Kitt andis met Monday.";
    String response = "It was St Kitt andis approved, they met Monday.";
    assertEquals(
        "It was St Kitts and Nevis approved, they met Monday.",
        Recovery.reference(lm).recover(original, compressed, response));
    assertEquals(
        "It was St Kitts and Nevis approved, they met on Monday.",
        Recovery.wordAware(lm).recover(original, compressed, response));
  }

  @Test
  void aMatchedTokenMayFollowTheLastAtMostTenTokensLater() {
    String compressed = "Red fox jumps high. Red dog jumps.";
    String near = "Red fox" + " a".repeat(9) + " jumps high.\nRed dog jumps.";
    String far = "Red fox" + " a".repeat(10) + " jumps high.\nRed dog jumps.";
    assertEquals(
        "Red fox" + " a".repeat(9) + " jumps",
        Recovery.reference(lm).recover(near, compressed, "Red fox jumps"));
    assertEquals("Red fox", Recovery.reference(lm).recover(far, compressed, "Red fox jumps"));
  }

  @Test
  void wordsNotInTheCompressedPromptPassThrough() {
    String response = "Nothing  here matches, truly";
    assertEquals(
        response, Recovery.reference(lm).recover("Some original text.", "Some text.", response));
    assertEquals(
        response, Recovery.wordAware(lm).recover("Some original text.", "Some text.", response));
  }
}
