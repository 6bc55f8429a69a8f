package dev.winnow.prompt.selective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.selection.text.SentenceSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SelectiveContextTest {
  private static ProxyLm lm;
  private static List<String> articles;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
    articles = ReferenceCases.load().get(0).request().context;
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  private static String joined() {
    return String.join("\n\n", articles);
  }

  /**
   * The least informative units are dropped first, the budget is met, and no more is dropped than
   * needed.
   */
  private static void assertSelectionRules(SelectiveContext.Selection s) {
    assertTrue(
        s.keptTokens() <= s.budget(),
        s.keptTokens() + " kept tokens over the budget " + s.budget());
    double maxDropped = Double.NEGATIVE_INFINITY;
    double minKept = Double.POSITIVE_INFINITY;
    int lastDropped = -1;
    for (int u = 0; u < s.kept().length; u++) {
      if (s.kept()[u]) {
        minKept = Math.min(minKept, s.unitInfo()[u]);
        assertTrue(
            s.unitInfo()[u] >= s.threshold(), "unit " + u + " below the percentile was kept");
      } else if (s.unitInfo()[u] >= maxDropped) {
        maxDropped = s.unitInfo()[u];
        lastDropped = u;
      }
    }
    assertTrue(
        maxDropped <= minKept, "a more informative unit was dropped before a less informative one");
    assertTrue(lastDropped >= 0, "something was dropped");
    assertTrue(
        s.unitInfo()[lastDropped] < s.threshold()
            || s.keptTokens() + s.unitTokens()[lastDropped] > s.budget(),
        "the last unit dropped was needed neither by the percentile nor by the budget");
  }

  @Test
  void percentileIsNumpysLinearPercentile() {
    assertEquals(1.75, SelectiveContext.percentile(new double[] {4, 1, 3, 2}, 25), 1e-12);
    assertEquals(29, SelectiveContext.percentile(new double[] {15, 20, 35, 40, 50}, 40), 1e-12);
    assertEquals(50, SelectiveContext.percentile(new double[] {15, 20, 35, 40, 50}, 100), 1e-12);
  }

  @Test
  void wordUnitsDropTheLeastInformativeWholeWordsUntilTheRateIsMet() {
    String text = joined();
    SelectiveContext.Selection s = new SelectiveContext(lm).select(text, "word", 0.5, -1);
    assertEquals(lm.tokenLength(text), s.totalTokens());
    assertEquals(0.5 * s.totalTokens(), s.budget(), 1e-9);
    assertSelectionRules(s);
    assertTrue(
        s.keptTokens() >= s.budget() - 20,
        "dropped far more than the budget asks: " + s.keptTokens());
    int units = 0;
    for (int c : s.unitTokens()) {
      units += c;
    }
    assertTrue(units > 0.9 * s.totalTokens(), "tokens are assigned to words");

    String compressed = s.text();
    List<String> expected = new ArrayList<>();
    for (int u = 0; u < s.units().size(); u++) {
      if (s.kept()[u]) {
        expected.add(text.substring(s.units().get(u)[0], s.units().get(u)[1]));
      }
    }
    assertEquals(
        expected, Arrays.asList(compressed.split("\\s+")), "the output is the kept whole words");
    assertEquals(
        articles.size() - 1,
        compressed.split("\n\n", -1).length - 1,
        "the articles stay paragraphs apart");
    assertTrue(
        lm.tokenLength(compressed) <= s.budget() * 1.1,
        "re-tokenized: " + lm.tokenLength(compressed));
  }

  @Test
  void sentenceUnitsKeepWholeSentences() {
    String text = joined();
    SelectiveContext.Selection s = new SelectiveContext(lm).select(text, "sentence", 0.4, -1);
    assertSelectionRules(s);
    List<String> sentences =
        SentenceSplitter.LLMLINGUA.split(text).stream().map(String::strip).toList();
    assertEquals(sentences.size(), s.units().size());
    String compressed = s.text();
    int from = 0;
    for (int u = 0; u < s.units().size(); u++) {
      if (s.kept()[u]) {
        int at = compressed.indexOf(sentences.get(u), from);
        assertEquals(from, at == from ? from : -1, "kept sentence " + u + " follows at " + from);
        from = at + sentences.get(u).length();
        while (from < compressed.length() && Character.isWhitespace(compressed.charAt(from))) {
          from++;
        }
      }
    }
    assertEquals(compressed.length(), from, "nothing but kept sentences");
  }

  @Test
  void noUnitCutsAUtf8Character() {
    String text =
        "Der Bürgermeister eröffnete die Brücke 🎉🎉 am Montag. 東京で会議がありました。"
            + " Die Gäste — naïve Touristen aus Zürich — jubelten 👏 laut. Ça va très bien, merci!";
    for (String unit : List.of("token", "word", "sentence")) {
      SelectiveContext.Selection s = new SelectiveContext(lm).select(text, unit, 0.5, -1);
      String out = s.text();
      assertFalse(out.contains("\uFFFD"), unit + ": " + out);
      assertEquals(
          out,
          new String(out.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
          unit + ": no lone surrogate");
      assertTrue(out.length() < text.length(), unit + ": something dropped");
      assertTrue(
          isSubsequence(out.replaceAll("\\s+", ""), text.replaceAll("\\s+", "")),
          unit + ": " + out);
      int covered = Arrays.stream(s.unitTokens()).sum();
      assertTrue(
          covered >= s.totalTokens() - 12,
          unit + ": tokens outside units " + (s.totalTokens() - covered));
    }
    SelectiveContext.Selection words = new SelectiveContext(lm).select(text, "word", 0.5, -1);
    assertTrue(
        words.units().stream().anyMatch(u -> text.substring(u[0], u[1]).equals("京")),
        "Han characters are words of their own");
  }

  @Test
  void compressAddsInstructionAndQuestionUncompressedAndCountsTokensLikeLlmLingua() {
    CompressionRequest r = new CompressionRequest();
    r.method = "selective_context";
    r.instruction = "Read the articles.";
    r.context = articles;
    r.question = "What did the government announce?";
    r.targetToken = 200;
    CompressionResult result = new SelectiveContext(lm).compress(r.validate());
    String prompt = result.compressedPrompt();
    assertTrue(prompt.startsWith(r.instruction + "\n\n"), prompt);
    assertTrue(prompt.endsWith("\n\n" + r.question), prompt);
    String body =
        prompt.substring(r.instruction.length() + 2, prompt.length() - r.question.length() - 2);
    assertEquals(new SelectiveContext(lm).select(joined(), "word", 0.5, 200).text(), body);
    int bodyTokens = lm.tokenLength(body);
    assertTrue(bodyTokens <= 220 && bodyTokens >= 150, "target_token 200, got " + bodyTokens);
    List<String> whole = new ArrayList<>(List.of(r.instruction));
    whole.addAll(articles);
    whole.add(r.question);
    assertEquals(lm.oaiTokens(String.join("\n\n", whole)), result.originTokens());
    assertEquals(lm.oaiTokens(prompt), result.compressedTokens());
    assertEquals("selective_context", result.method());
    assertEquals("words", result.mode());
  }

  @Test
  void rateOneKeepsEverything() {
    String text = articles.get(2);
    SelectiveContext.Selection s = new SelectiveContext(lm).select(text, "word", 1.0, -1);
    assertEquals(text.strip(), s.text());
  }

  private static boolean isSubsequence(String small, String big) {
    int j = 0;
    for (int i = 0; i < big.length() && j < small.length(); i++) {
      if (big.charAt(i) == small.charAt(j)) {
        j++;
      }
    }
    return j == small.length();
  }
}
