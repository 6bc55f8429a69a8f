package dev.winnow.prompt.llmlingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.selection.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sentence-level filter with proxy-mini: what is kept, in which order, and how much. */
class SentenceBudgetTest {
  private static final List<String> CONTEXT =
      List.of(
          "The council met on Monday to discuss the new budget. Members argued about road repairs for hours. "
              + "The mayor said the city could not afford a new bridge. A vote was postponed until next week.",
          "Zebra migration across the plains began early this year. Rangers counted more than ten thousand "
              + "animals. Heavy rain had filled the rivers. Tourists arrived to watch the herds cross.",
          "Local bakers reported record sales of bread. Flour prices have fallen since spring.");
  private static final String QUESTION = "When did the zebra migration begin?";

  private static ProxyLm lm;
  private static ContextRanker ranker;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
    ranker = new ContextRanker(lm);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  private static CompressionRequest request(String rankMethod) {
    CompressionRequest r = new CompressionRequest();
    r.context = CONTEXT;
    r.question = QUESTION;
    r.rankMethod = rankMethod;
    return r;
  }

  private static List<String> sentences() {
    List<String> all = new ArrayList<>();
    CONTEXT.forEach(c -> all.addAll(SentenceSplitter.LLMLINGUA.split(c)));
    return all;
  }

  /**
   * Which of the flattened sentences are in the output, checking each context is an in-order
   * subsequence.
   */
  private static boolean[] keptFlags(List<String> out) {
    assertEquals(CONTEXT.size(), out.size());
    List<Boolean> flags = new ArrayList<>();
    SentenceSplitter splitter = SentenceSplitter.LLMLINGUA;
    for (int d = 0; d < CONTEXT.size(); d++) {
      String rest = out.get(d);
      for (String s : splitter.split(CONTEXT.get(d))) {
        boolean kept = rest.startsWith(s);
        flags.add(kept);
        if (kept) {
          rest = rest.substring(s.length());
        }
      }
      assertEquals(
          "", rest, "context " + d + " must be a concatenation of its own sentences in order");
    }
    boolean[] f = new boolean[flags.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = flags.get(i);
    }
    return f;
  }

  /**
   * Kept sentences are exactly a prefix of {@code order} whose token sum first crosses the budget.
   */
  private static void assertPrefixCrossingBudget(int[] order, boolean[] kept, double budget) {
    List<String> s = sentences();
    double left = budget;
    int k = 0;
    while (k < order.length) {
      left -= lm.tokenLength(s.get(order[k]));
      k++;
      if (left < 0) {
        break;
      }
    }
    for (int j = 0; j < order.length; j++) {
      assertEquals(
          j < k,
          kept[order[j]],
          "sentence " + order[j] + " at rank " + j + " (budget " + budget + ")");
    }
  }

  @Test
  void longLlmLinguaKeepsSentencesWithLowestConditionalPerplexityUntilTheBudgetIsSpent() {
    CompressionRequest r = request("longllmlingua");
    List<String> out = new SentenceBudget(lm, ranker).filter(CONTEXT, 20, r, QUESTION, "after");
    boolean[] kept = keptFlags(out);
    List<String> s = sentences();
    assertEquals(10, s.size());
    double[] ppl = s.stream().mapToDouble(x -> ranker.conditionPpl(x, QUESTION, "after")).toArray();
    int[] order =
        java.util.stream.IntStream.range(0, s.size())
            .boxed()
            .sorted(java.util.Comparator.comparingDouble(i -> ppl[i]))
            .mapToInt(Integer::intValue)
            .toArray();
    assertPrefixCrossingBudget(order, kept, 20 * 1.4);
    int keptCount = 0;
    for (boolean b : kept) {
      keptCount += b ? 1 : 0;
    }
    assertTrue(
        keptCount > 0 && keptCount < s.size(), "some but not all sentences kept: " + keptCount);
  }

  @Test
  void highPriorityBonusMovesFirstAndLastSentencesAsTheReferenceDoes() {
    List<String> s = sentences();
    // condition none: perplexity high-first, so the bonus promotes; a tiny budget keeps only the
    // top sentence
    CompressionRequest r = request("longllmlingua");
    r.keepFirstSentence = 1;
    r.tokenBudgetRatio = 1;
    boolean[] kept =
        keptFlags(new SentenceBudget(lm, ranker).filter(CONTEXT, 1, r, QUESTION, "none"));
    assertTrue(kept[0], "first sentence promoted");
    assertEquals(1, count(kept));

    r.keepFirstSentence = 0;
    r.keepLastSentence = 1;
    kept = keptFlags(new SentenceBudget(lm, ranker).filter(CONTEXT, 1, r, QUESTION, "none"));
    assertTrue(kept[s.size() - 1], "last sentence promoted");
    assertEquals(1, count(kept));

    // condition after: low-first, so the same bonus demotes; with a budget just short of all but
    // one, it is dropped
    int total = s.stream().mapToInt(lm::tokenLength).sum();
    int last = lm.tokenLength(s.get(s.size() - 1));
    kept =
        keptFlags(
            new SentenceBudget(lm, ranker).filter(CONTEXT, total - last - 1, r, QUESTION, "after"));
    assertFalse(kept[s.size() - 1], "last sentence demoted to the end of the ranking");
    assertEquals(s.size() - 1, count(kept));
  }

  @Test
  void keepSentenceNumberBoostsTheLowestScoredSentencesOfEachContext() {
    CompressionRequest r = request("longllmlingua");
    r.keepSentenceNumber = 1;
    r.tokenBudgetRatio = 1;
    List<String> s = sentences();
    double[] ppl = s.stream().mapToDouble(x -> ranker.conditionPpl(x, QUESTION, "none")).toArray();
    // under condition none the boosted sentence of each context (its lowest perplexity) outranks
    // all others
    int[][] ranges = {{0, 4}, {4, 8}, {8, 10}};
    int tokens = 0;
    List<Integer> boosted = new ArrayList<>();
    for (int[] range : ranges) {
      int best = range[0];
      for (int i = range[0]; i < range[1]; i++) {
        best = ppl[i] < ppl[best] ? i : best;
      }
      boosted.add(best);
      tokens += lm.tokenLength(s.get(best));
    }
    boolean[] kept =
        keptFlags(new SentenceBudget(lm, ranker).filter(CONTEXT, tokens - 1, r, QUESTION, "none"));
    assertEquals(3, count(kept));
    for (int b : boosted) {
      assertTrue(kept[b], "boosted sentence " + b);
    }
  }

  @Test
  void otherRankMethodsRankSentencesWithTheContextRanker() {
    CompressionRequest r = request("bm25");
    List<String> out =
        new SentenceBudget(lm, ranker).filter(CONTEXT, 5, r, "Zebra migration", "none");
    assertEquals(List.of("", "Zebra migration across the plains began early this year. ", ""), out);
    int[] order = ranker.rank(sentences(), QUESTION, "llmlingua", "none");
    boolean[] kept =
        keptFlags(
            new SentenceBudget(lm, ranker)
                .filter(CONTEXT, 30, request("llmlingua"), QUESTION, "none"));
    assertPrefixCrossingBudget(order, kept, 30 * 1.4);
  }

  @Test
  void aSingleSentenceIsReturnedAsIs() {
    List<String> one = List.of("Only one sentence here.");
    assertEquals(
        one,
        new SentenceBudget(lm, ranker).filter(one, 1, request("longllmlingua"), QUESTION, "after"));
  }

  @Test
  void llmLinguaWithOnlyTheSentenceFilterReturnsWholeSentences() {
    CompressionRequest r = request("longllmlingua");
    r.instruction = "Answer briefly.";
    r.useSentenceLevelFilter = true;
    r.useContextLevelFilter = false;
    r.useTokenLevelFilter = false;
    r.targetToken = 30;
    CompressionResult result = new LlmLingua(lm).compress(r.validate(), CompressionMode.COMPAT);
    String prompt = result.compressedPrompt();
    assertTrue(
        prompt.startsWith("Answer briefly.\n\n") && prompt.endsWith("\n\n" + QUESTION), prompt);
    String body =
        prompt.substring("Answer briefly.\n\n".length(), prompt.length() - QUESTION.length() - 2);
    String[] parts = body.split("\n\n", -1);
    assertEquals(3, parts.length, body);
    keptFlags(List.of(parts));
    assertTrue(result.compressedTokens() < result.originTokens());
  }

  private static int count(boolean[] flags) {
    int c = 0;
    for (boolean b : flags) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
