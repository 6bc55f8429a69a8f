package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CpuScoringEngineTest {

  @Test
  void concurrentCallersGetTheSameScoresAsOneCaller() throws Exception {
    LoadedModel model = ModelLoader.load(SharedData.fixture("tiny-llama"));
    Random random = new Random(1);
    List<int[]> sequences = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int[] ids = new int[20 + 13 * i];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = random.nextInt(model.config().vocabSize());
      }
      sequences.add(ids);
    }
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2))) {
      List<TokenLogProbs> expected = engine.score(sequences);
      List<Future<TokenLogProbs>> futures = new ArrayList<>();
      for (int[] seq : sequences) {
        futures.add(callers.submit(() -> engine.score(List.of(seq)).get(0)));
      }
      for (int i = 0; i < sequences.size(); i++) {
        assertArrayEquals(expected.get(i).logProbs(), futures.get(i).get().logProbs(), 1e-6f);
      }
    } finally {
      callers.shutdown();
    }
  }

  @Test
  void threadCountDoesNotChangeResults() {
    LoadedModel model = ModelLoader.load(SharedData.fixture("tiny-qwen2"));
    int[] ids = SharedData.golden(SharedData.fixture("tiny-qwen2")).cases().get(4).inputIds();
    try (ScoringEngine one =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1));
        ScoringEngine two =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(2))) {
      assertArrayEquals(
          one.score(List.of(ids)).get(0).logProbs(), two.score(List.of(ids)).get(0).logProbs(), 0f);
    }
  }

  @Test
  void rejectsEmptyAndOverlongSequencesWithActionableMessages() {
    LoadedModel model = ModelLoader.load(SharedData.fixture("tiny-gpt2"));
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(1))) {
      IllegalArgumentException empty =
          assertThrows(IllegalArgumentException.class, () -> engine.score(List.of(new int[0])));
      assertTrue(empty.getMessage().contains("1 to 256"), empty.getMessage());
      IllegalArgumentException tooLong =
          assertThrows(IllegalArgumentException.class, () -> engine.score(List.of(new int[257])));
      assertTrue(tooLong.getMessage().contains("DocumentScorer"), tooLong.getMessage());
      IllegalArgumentException badId =
          assertThrows(
              IllegalArgumentException.class, () -> engine.score(List.of(new int[] {1, -3})));
      assertTrue(
          badId.getMessage().contains("-3") && badId.getMessage().contains("index 1"),
          badId.getMessage());
      assertEquals(List.of(), engine.score(List.of()));
    }
  }

  @Test
  void flopCountMatchesTheParameterCountOfProxyMini() {
    ModelConfig c = ModelLoader.load(SharedData.model("proxy-mini")).config();
    // 2 FLOPs per weight of every matrix (blocks and head; 7,357,312 parameters include wte and wpe
    // once, biases and norms) plus attention
    double blockWeights = c.layers() * 12.0 * c.hiddenSize() * c.hiddenSize();
    double head = (double) c.hiddenSize() * c.vocabSize();
    assertEquals(2 * (blockWeights + head), c.flopsPerToken(0), 1e-6);
    assertEquals(
        2 * (blockWeights + head) + 2 * c.layers() * 2.0 * 100 * c.hiddenSize(),
        c.flopsPerToken(100),
        1e-6);
  }
}
