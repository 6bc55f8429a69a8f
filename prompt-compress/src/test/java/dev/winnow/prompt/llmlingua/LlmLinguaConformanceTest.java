package dev.winnow.prompt.llmlingua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compat mode against LLMLingua v0.2.2 itself: the 18 reference calls of {@code
 * ../shared/reference/llmlingua/cases.json} with proxy-mini in float32 must give the reference's
 * {@code compressed_prompt} character for character, and its token counts.
 */
class LlmLinguaConformanceTest {
  private static ProxyLm lm;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @TestFactory
  Stream<DynamicTest> referenceCases() {
    List<ReferenceCases.Case> cases = ReferenceCases.load();
    assertEquals(18, cases.size(), "the reference holds 18 cases");
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.label(),
                    () -> {
                      CompressionResult result =
                          new LlmLingua(lm)
                              .compress(c.request().validate(), CompressionMode.COMPAT);
                      String expected = c.expectedPrompt();
                      assertEquals(
                          expected,
                          result.compressedPrompt(),
                          () ->
                              c.label()
                                  + ": "
                                  + ReferenceCases.diff(expected, result.compressedPrompt()));
                      assertEquals(
                          c.result().get("origin_tokens").asInt(),
                          result.originTokens(),
                          "origin_tokens");
                      assertEquals(
                          c.result().get("compressed_tokens").asInt(),
                          result.compressedTokens(),
                          "compressed_tokens");
                      assertEquals(c.result().get("ratio").asText(), result.ratio(), "ratio");
                      assertEquals(c.result().get("rate").asText(), result.rate(), "rate");
                    }));
  }
}
