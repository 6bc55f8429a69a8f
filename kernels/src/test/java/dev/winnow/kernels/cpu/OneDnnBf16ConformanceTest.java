package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.Corpora;
import dev.winnow.kernels.testing.SharedData;
import dev.winnow.kernels.testing.SharedData.GoldenCase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine in bf16 (oneDNN) against transformers' float32 goldens and against the engine's own
 * fp32 path: per token within 2e-2 of every {@code golden.json}; over 500 real documents the
 * per-document mean NLL within 1e-2 of fp32 and its ranking kept (Spearman ≥ 0.999); and the
 * engine's exactness promises (batched = alone, sessions = full passes, any thread count) hold bit
 * for bit in bf16 too. Skipped, saying why, where oneDNN cannot load or the CPU has no bf16.
 */
class OneDnnBf16ConformanceTest {

  @BeforeEach
  void oneDnnRuns() {
    String reason = null;
    try {
      MatrixBackend.ONEDNN.probe();
    } catch (MatrixBackendUnavailableException e) {
      reason = e.getMessage();
    }
    Assumptions.assumeTrue(reason == null, "skipped: " + reason);
  }

  private static EngineOptions bf16(int threads) {
    return EngineOptions.defaults()
        .withPrecision(EngineOptions.Precision.BF16)
        .withBackend(EngineOptions.Backend.ONEDNN)
        .withThreads(threads);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "fixtures/tiny-gpt2, 2e-2",
    "fixtures/tiny-llama, 2e-2",
    "fixtures/tiny-qwen2, 2e-2",
    "models/proxy-mini, 2e-2",
    // its golden is up to 2e-2 from fp32 (computed before rounding to fp16, models/README)
    "models/proxy-small, 2e-2",
    "models/proxy-deep, 2e-2",
  })
  void matchesGoldenLogProbsWithinBf16Tolerance(String dir, double tolerance) {
    Path path = SharedData.root().resolve(dir);
    Assumptions.assumeTrue(
        java.nio.file.Files.exists(path.resolve("golden.json")), "skipped: no golden in " + dir);
    LoadedModel model = ModelLoader.load(path);
    List<GoldenCase> cases = SharedData.golden(path).cases();
    try (ScoringEngine engine = ScoringEngines.open(model.weights(), bf16(2))) {
      assertEquals(MatrixBackend.ONEDNN, ((CpuScoringEngine) engine).backend());
      List<TokenLogProbs> scores =
          engine.score(cases.stream().map(GoldenCase::inputIds).collect(Collectors.toList()));
      double worst = 0;
      for (int c = 0; c < cases.size(); c++) {
        float[] expected = cases.get(c).logProbs();
        float[] actual = scores.get(c).logProbs();
        assertEquals(expected.length, actual.length, "case " + c);
        for (int i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
          assertEquals(expected[i], actual[i], tolerance, dir + " case " + c + " token " + (i + 1));
        }
      }
      System.out.printf("%s: bf16 worst |Δ ln p| against the fp32 golden %.2e%n", dir, worst);
    }
  }

  @Test
  void meanNllOf500DocumentsAgreesWithFp32AndKeepsTheRanking() {
    LoadedModel model = ModelLoader.load(SharedData.model("proxy-mini"));
    List<String> texts = new ArrayList<>();
    for (String corpus : new String[] {"news", "prose", "reviews", "speeches", "web"}) {
      texts.addAll(Corpora.texts(corpus, 100));
    }
    assertEquals(500, texts.size());
    List<int[]> docs = new ArrayList<>();
    for (String t : texts) {
      int[] ids = model.requireTokenizer().encode(t);
      // the first 128 tokens: enough for a mean per document, affordable on 2 cores in a test
      docs.add(Arrays.copyOf(ids, Math.max(2, Math.min(ids.length, 128))));
    }
    double[] fp32 =
        meanNll(
            model,
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2),
            docs);
    double[] bf16 = meanNll(model, bf16(2), docs);
    double worst = 0;
    for (int d = 0; d < docs.size(); d++) {
      worst = Math.max(worst, Math.abs(fp32[d] - bf16[d]));
      assertEquals(fp32[d], bf16[d], 1e-2, "document " + d + " mean NLL");
    }
    double rho = spearman(fp32, bf16);
    System.out.printf("500 documents: bf16 worst |Δ mean NLL| %.2e, Spearman %.6f%n", worst, rho);
    assertTrue(rho >= 0.999, "Spearman " + rho);
  }

  private static double[] meanNll(LoadedModel model, EngineOptions options, List<int[]> docs) {
    double[] out = new double[docs.size()];
    try (ScoringEngine engine = ScoringEngines.open(model.weights(), options)) {
      for (int from = 0; from < docs.size(); from += 16) {
        List<int[]> batch = docs.subList(from, Math.min(docs.size(), from + 16));
        List<TokenLogProbs> scores = engine.score(batch);
        for (int i = 0; i < batch.size(); i++) {
          double sum = 0;
          for (float lp : scores.get(i).logProbs()) {
            sum -= lp;
          }
          out[from + i] = sum / scores.get(i).logProbs().length;
        }
      }
    }
    return out;
  }

  static double spearman(double[] x, double[] y) {
    double[] rx = ranks(x);
    double[] ry = ranks(y);
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += rx[i] / x.length;
      my += ry[i] / x.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (rx[i] - mx) * (ry[i] - my);
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /** Ranks from 1, ties given their mean rank. */
  private static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int t = i; t <= j; t++) {
        r[order[t]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void batchedEqualsAloneAndThreadsDoNotMatterInBf16(String fixture) {
    LoadedModel model = ModelLoader.load(SharedData.fixture(fixture));
    Random random = new Random(7);
    List<int[]> sequences = new ArrayList<>();
    for (int n : new int[] {1, 2, 37, 5, 130, 64, 3}) {
      sequences.add(random.ints(n, 0, model.config().vocabSize()).toArray());
    }
    try (ScoringEngine engine = ScoringEngines.open(model.weights(), bf16(2));
        ScoringEngine single = ScoringEngines.open(model.weights(), bf16(1))) {
      List<TokenLogProbs> batched = engine.score(sequences);
      for (int s = 0; s < sequences.size(); s++) {
        TokenLogProbs alone = engine.score(List.of(sequences.get(s))).get(0);
        assertArrayEquals(alone.logProbs(), batched.get(s).logProbs(), 0f, "sequence " + s);
        assertArrayEquals(alone.argmax(), batched.get(s).argmax(), "sequence " + s);
        assertArrayEquals(
            alone.logProbs(),
            single.score(List.of(sequences.get(s))).get(0).logProbs(),
            0f,
            "sequence " + s + " on 1 thread");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void appendingInPiecesEqualsOneFullPassInBf16(String fixture) {
    LoadedModel model = ModelLoader.load(SharedData.fixture(fixture));
    int[] tokens = new Random(11).ints(90, 0, model.config().vocabSize()).toArray();
    try (ScoringEngine engine = ScoringEngines.open(model.weights(), bf16(2));
        ScoringSession session = engine.newSession()) {
      float[] full = engine.score(List.of(tokens)).get(0).logProbs();
      List<Float> incremental = new ArrayList<>();
      int at = 0;
      for (int piece : new int[] {1, 1, 7, 20, 61}) {
        for (float lp : session.append(Arrays.copyOfRange(tokens, at, at + piece))) {
          incremental.add(lp);
        }
        at += piece;
      }
      for (int i = 1; i < 90; i++) {
        assertEquals(full[i - 1], incremental.get(i), 0f, "token " + i);
      }
    }
  }
}
