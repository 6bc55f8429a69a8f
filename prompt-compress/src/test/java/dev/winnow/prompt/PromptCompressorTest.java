package dev.winnow.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.model.ProxyLm;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests from JSON, bad input named by field, and the edge cases a caller will hit. */
class PromptCompressorTest {
  private static ProxyLm lm;
  private static PromptCompressor compressor;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
    compressor = new PromptCompressor(lm, CompressionMode.WORDS);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|context|non-empty list",
        "{\"context\": []}|context|non-empty list",
        "{\"context\": [\"text\", \"\"]}|context[1]|empty string",
        "{\"context\": [\"text\"], \"rate\": 0}|rate|(0, 1]",
        "{\"context\": [\"text\"], \"rate\": 1.5}|rate|(0, 1]",
        "{\"context\": [\"text\"], \"rate\": -0.2}|rate|(0, 1]",
        "{\"context\": [\"text\"], \"target_token\": 0}|target_token|positive",
        "{\"context\": [\"text\"], \"target_token\": -7}|target_token|positive",
        "{\"context\": [\"text\"], \"iterative_size\": 0}|iterative_size|at least 1",
        "{\"context\": [\"text\"], \"rank_method\": \"longllmlingua\"}|question|non-empty question",
        "{\"context\": [\"text\"], \"rank_method\": \"cohere\"}|rank_method|must be one of",
        "{\"context\": [\"text\"], \"reorder_context\": \"random\"}|reorder_context|must be one of",
        "{\"context\": [\"text\"], \"condition_in_question\": \"middle\"}|condition_in_question|must be one of",
        "{\"context\": [\"text\"], \"context_budget\": \"+ten\"}|context_budget|operator and a number",
        "{\"context\": [\"text\"], \"force_context_ids\": [3]}|force_context_ids|illegal id 3",
        "{\"context\": [\"text\"], \"mode\": \"fast\"}|mode|compat or words",
        "{\"context\": [\"text\"], \"ratio\": 0.5}|ratio|Unrecognized field",
        "{\"context\": [\"text\"], \"rate\": \"half\"}|rate|half",
        "{\"context\": [\"text\"] ,|request|not valid JSON",
      })
  void badRequestsNameTheField(String json, String field, String words) {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class, () -> compressor.compress(PromptCompressor.parse(json)));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  @Test
  void selectiveContextIsDispatchedByMethod() {
    String text = ReferenceCases.load().get(2).request().context.get(0);
    CompressionRequest r =
        PromptCompressor.parse("{\"method\": \"selective_context\", \"rate\": 0.5}");
    r.context = List.of(text);
    CompressionResult result = compressor.compress(r);
    assertEquals("selective_context", result.method());
    assertTrue(result.compressedTokens() < result.originTokens() * 0.7, result.toString());
    r.mode = "compat";
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> compressor.compress(r));
    assertEquals("mode", e.field());
  }

  @Test
  void aSingleStringContextIsAccepted() {
    CompressionRequest r =
        PromptCompressor.parse("{\"context\": \"One plain string of context.\"}");
    assertEquals(List.of("One plain string of context."), r.context);
  }

  @Test
  void rateOneKeepsEverythingInWordsMode() {
    String text = ReferenceCases.load().get(0).request().context.get(0);
    CompressionRequest r = new CompressionRequest();
    r.context = List.of(text);
    r.rate = 1.0;
    CompressionResult result = compressor.compress(r);
    assertEquals(text, result.compressedPrompt());
    assertEquals("1.0x", result.ratio());
  }

  @Test
  void promptsLongerThanTheModelAreCompressedInWindows() {
    List<ReferenceCases.Case> cases = ReferenceCases.load();
    String longText =
        cases.get(12).request().context.get(0) + "\n\n" + cases.get(14).request().context.get(0);
    int tokens = lm.tokenLength(longText);
    assertTrue(tokens > 2 * lm.maxPositions(), "the prompt is longer than two contexts: " + tokens);
    for (CompressionMode mode : CompressionMode.values()) {
      CompressionRequest r = new CompressionRequest();
      r.context = List.of(longText);
      r.rate = 0.4;
      r.mode = mode.wireName();
      CompressionResult result = compressor.compress(r);
      int kept = lm.tokenLength(result.compressedPrompt());
      assertTrue(
          kept < tokens * 0.6 && kept > tokens * 0.2, mode + ": kept " + kept + " of " + tokens);
    }
  }

  @Test
  void contextLevelFilterDropsWholeContextsAndForcedOnesStay() {
    List<String> docs = ReferenceCases.load().get(8).request().context;
    CompressionRequest r = new CompressionRequest();
    r.context = docs;
    r.question = "Who criticised the decision?";
    r.targetToken = 60;
    r.useTokenLevelFilter = false;
    r.forceContextIds = List.of(5);
    String prompt = compressor.compress(r).compressedPrompt();
    assertTrue(prompt.contains(docs.get(5)), "the forced context is kept whole");
    long kept = docs.stream().filter(prompt::contains).count();
    assertTrue(kept >= 1 && kept < docs.size(), "some contexts dropped whole: kept " + kept);
  }
}
