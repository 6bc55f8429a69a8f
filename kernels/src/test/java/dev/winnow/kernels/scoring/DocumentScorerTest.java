package dev.winnow.kernels.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.testing.Corpora;
import dev.winnow.kernels.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DocumentScorerTest {
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

  @Test
  void windowsScoreEveryTokenButTheFirstExactlyOnce() {
    for (int n : new int[] {0, 1, 2, 5, 64, 65, 100, 1000, 1031}) {
      for (int[] ws : new int[][] {{64, 32}, {64, 63}, {64, 1}, {1024, 512}, {10, 7}}) {
        int[] counts = new int[n];
        List<DocumentScorer.Window> windows = DocumentScorer.windows(n, ws[0], ws[1]);
        for (int i = 0; i < windows.size(); i++) {
          DocumentScorer.Window w = windows.get(i);
          assertTrue(w.end() - w.start() <= ws[0] && w.start() < w.firstScored());
          if (i > 0) {
            assertTrue(w.firstScored() - w.start() >= ws[0] - ws[1], "context of window " + w);
          }
          for (int t = w.firstScored(); t < w.end(); t++) {
            counts[t]++;
          }
        }
        for (int t = 0; t < n; t++) {
          assertEquals(
              t == 0 ? 0 : 1,
              counts[t],
              "n=" + n + " window/stride " + ws[0] + "/" + ws[1] + " token " + t);
        }
      }
    }
  }

  @Test
  void shortDocumentsMatchTheGoldenMeanNll() {
    SharedData.Golden golden = SharedData.golden(SharedData.model("proxy-mini"));
    DocumentScorer scorer = new DocumentScorer(engine, mini.requireTokenizer());
    List<DocumentScore> scores = scorer.scoreAll(golden.texts());
    for (int i = 0; i < scores.size(); i++) {
      float[] expected = golden.cases().get(i).logProbs();
      DocumentScore s = scores.get(i);
      assertEquals(expected.length + 1, s.tokens());
      assertEquals(Perplexity.meanNll(expected), s.meanNll(), 1e-5, "text " + i);
      assertEquals(Math.exp(Perplexity.meanNll(expected)), s.perplexity(), 1e-3 * s.perplexity());
      int words = golden.texts().get(i).trim().split("\\s+").length;
      assertEquals(words, s.words());
      assertEquals(
          Math.exp(Perplexity.totalNll(expected) / words),
          s.perWordPerplexity(),
          1e-3 * s.perWordPerplexity());
    }
  }

  @Test
  void longDocumentsAreScoredInWindowsAndBatchingDoesNotChangeScores() {
    String speech = Corpora.texts("speeches", 1).get(0).substring(0, 3000);
    List<String> texts = List.of(speech, "Short one.", "", "x", speech.substring(1000));
    DocumentScorer big = new DocumentScorer(engine, mini.requireTokenizer(), 256, 128, 4096);
    DocumentScorer small = new DocumentScorer(engine, mini.requireTokenizer(), 256, 128, 256);
    List<DocumentScore> batched = big.scoreAll(texts);
    for (int i = 0; i < texts.size(); i++) {
      DocumentScore one = small.score(texts.get(i));
      assertEquals(batched.get(i).tokens(), one.tokens());
      if (one.scoredTokens() == 0) {
        assertTrue(Double.isNaN(one.meanNll()) && Double.isNaN(batched.get(i).meanNll()));
      } else {
        assertEquals(one.totalNll(), batched.get(i).totalNll(), 1e-3, "document " + i);
      }
    }
    DocumentScore doc = batched.get(0);
    int[] ids = mini.requireTokenizer().encode(speech);
    assertEquals(ids.length, doc.tokens());
    assertTrue(doc.tokens() > 512, "want a document over several windows, got " + doc.tokens());
    assertEquals(doc.tokens() - 1, doc.scoredTokens());
    // windows [0,256) then [128,384): the second adds tokens 256..383 with 128+ tokens of context
    float[] first = engine.score(List.of(java.util.Arrays.copyOf(ids, 256))).get(0).logProbs();
    float[] second =
        engine.score(List.of(java.util.Arrays.copyOfRange(ids, 128, 384))).get(0).logProbs();
    double expected =
        Perplexity.totalNll(first)
            + Perplexity.totalNll(java.util.Arrays.copyOfRange(second, 127, 255));
    DocumentScore twoWindows =
        big.scoreTokens(List.of(java.util.Arrays.copyOf(ids, 384)), new int[1]).get(0);
    assertEquals(expected, twoWindows.totalNll(), 1e-3);
    // a realistic perplexity for the proxy model on a State of the Union address
    assertTrue(doc.perplexity() > 20 && doc.perplexity() < 1000, "ppl " + doc.perplexity());
  }

  @Test
  void rejectsIllegalWindows() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DocumentScorer(engine, mini.tokenizer(), 2048, 512, 4096));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DocumentScorer(engine, mini.tokenizer(), 512, 512, 4096));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DocumentScorer(engine, mini.tokenizer(), 512, 256, 100));
  }

  @Test
  void countsWhitespaceSeparatedWords() {
    assertEquals(0, Perplexity.countWords(""));
    assertEquals(0, Perplexity.countWords(" \n\t "));
    assertEquals(3, Perplexity.countWords("  one two\u00a0three "));
    assertEquals(2, Perplexity.countWords("naïve\n\ncafé"));
  }
}
