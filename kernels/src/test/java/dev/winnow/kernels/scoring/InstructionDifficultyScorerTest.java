package dev.winnow.kernels.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.testing.Corpora;
import dev.winnow.kernels.testing.SharedData;
import dev.winnow.kernels.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InstructionDifficultyScorerTest {
  private static LoadedModel mini;
  private static ScoringEngine engine;

  @BeforeAll
  static void load() {
    mini = ModelLoader.load(SharedData.model("proxy-mini"));
    engine =
        ScoringEngines.open(
            mini.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2));
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /**
   * The conditional and unconditional NLL recomputed with a KV-cache session, an independent code
   * path.
   */
  @Test
  void matchesIncrementalScoringWithASession() {
    Tokenizer tok = mini.requireTokenizer();
    InstructionDifficultyScorer ifd = new InstructionDifficultyScorer(engine, tok);
    String prompt = "Question: what did the cattle farmer say about the baton relay?\nAnswer:";
    String response = " He said a knee injury will not stop him running in the relay.";
    IfdScore s = ifd.score(prompt, response);
    int[] p = tok.encode(prompt);
    int[] r = tok.encode(response);
    assertEquals(p.length, s.promptTokens());
    assertEquals(r.length, s.responseTokens());
    try (ScoringSession session = engine.newSession()) {
      session.append(p);
      float[] lp = session.append(r);
      double cond = 0;
      for (float v : lp) {
        cond -= v;
      }
      assertEquals(cond / r.length, s.conditionalNll(), 1e-4);
    }
    try (ScoringSession session = engine.newSession()) {
      float[] lp = session.append(r);
      double uncond = 0;
      for (int i = 1; i < lp.length; i++) {
        uncond -= lp[i];
      }
      assertEquals(uncond / (r.length - 1), s.unconditionalNll(), 1e-4);
    }
    assertEquals(Math.exp(s.conditionalNll()) / Math.exp(s.unconditionalNll()), s.ifd(), 1e-9);
  }

  /**
   * A prompt that begins the article makes its continuation easier to predict than an unrelated
   * prompt does: IFD lower for every pair, and below 1 on average. (proxy-mini is too small to copy
   * text from its context, so a prompt holding the answer verbatim does not help it much more.)
   */
  @Test
  void aPromptOnTheSameArticleLowersIfd() {
    List<String> news =
        Corpora.texts("news", 40).stream().filter(t -> t.length() > 900).limit(8).toList();
    List<String> reviews = Corpora.texts("reviews", 8);
    InstructionDifficultyScorer ifd =
        new InstructionDifficultyScorer(engine, mini.requireTokenizer());
    List<InstructionDifficultyScorer.Pair> related = new ArrayList<>();
    List<InstructionDifficultyScorer.Pair> unrelated = new ArrayList<>();
    for (int i = 0; i < news.size(); i++) {
      String article = news.get(i);
      int cut = article.indexOf(' ', 500);
      String answer = article.substring(cut, Math.min(article.length(), cut + 400));
      related.add(
          new InstructionDifficultyScorer.Pair(
              "Continue the article.\n" + article.substring(0, cut), answer));
      unrelated.add(
          new InstructionDifficultyScorer.Pair(
              "Continue the review.\n" + reviews.get(i).substring(0, 500), answer));
    }
    List<IfdScore> r = ifd.scoreAll(related);
    List<IfdScore> u = ifd.scoreAll(unrelated);
    double meanRelated = 0;
    for (int i = 0; i < r.size(); i++) {
      assertTrue(
          r.get(i).ifd() < u.get(i).ifd(),
          "pair " + i + ": related " + r.get(i) + " unrelated " + u.get(i));
      assertEquals(
          r.get(i).unconditionalNll(),
          u.get(i).unconditionalNll(),
          1e-5,
          "same response, same PPL(response)");
      meanRelated += r.get(i).ifd() / r.size();
    }
    assertTrue(meanRelated < 1.0, "mean IFD with the article as prompt: " + meanRelated);
  }

  @Test
  void batchingTruncationAndEdgeCases() {
    InstructionDifficultyScorer ifd =
        new InstructionDifficultyScorer(engine, mini.requireTokenizer(), 1024);
    String speech = Corpora.texts("speeches", 1).get(0);
    List<InstructionDifficultyScorer.Pair> pairs =
        List.of(
            new InstructionDifficultyScorer.Pair("Give the speech.", speech),
            new InstructionDifficultyScorer.Pair(speech, " Thank you."),
            new InstructionDifficultyScorer.Pair("", " The cattle market is strong this season."),
            new InstructionDifficultyScorer.Pair("Say nothing.", ""));
    List<IfdScore> batched = ifd.scoreAll(pairs);
    int context = engine.contextLength();
    assertEquals(
        context - 1,
        batched.get(0).responseTokens(),
        "a long response keeps its first context − 1 tokens");
    assertEquals(1, batched.get(0).promptTokens());
    assertEquals(
        context,
        batched.get(1).promptTokens() + batched.get(1).responseTokens(),
        "a long prompt keeps its end");
    assertEquals(1.0, batched.get(2).ifd(), 1e-5, "no prompt: conditional = unconditional");
    assertTrue(Double.isNaN(batched.get(3).ifd()), "an empty response has no IFD");
    for (int i = 0; i < pairs.size(); i++) {
      IfdScore alone = ifd.score(pairs.get(i).prompt(), pairs.get(i).response());
      assertEquals(alone.conditionalNll(), batched.get(i).conditionalNll(), 1e-5);
      assertEquals(alone.unconditionalNll(), batched.get(i).unconditionalNll(), 1e-5);
    }
  }
}
