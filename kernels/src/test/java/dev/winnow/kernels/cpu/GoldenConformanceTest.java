package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SharedData;
import dev.winnow.kernels.testing.SharedData.GoldenCase;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CPU engine against Hugging Face transformers' float32 log-probabilities and argmax in every
 * {@code golden.json}: the three architecture fixtures (f32, bf16, f16 storage) and the proxy
 * models, on every matrix backend (OpenBLAS skipped, saying why, where its native library does not
 * load).
 */
class GoldenConformanceTest {

  @ParameterizedTest(name = "{0} on {2}")
  @CsvSource({
    "fixtures/tiny-gpt2, 1e-4, java",
    "fixtures/tiny-llama, 1e-4, java",
    "fixtures/tiny-qwen2, 1e-4, java",
    "models/proxy-mini, 1e-4, java",
    // golden computed from the float32 weights before rounding to the stored float16
    // (models/README)
    "models/proxy-small, 2e-2, java",
    "fixtures/tiny-gpt2, 1e-4, openblas",
    "fixtures/tiny-llama, 1e-4, openblas",
    "fixtures/tiny-qwen2, 1e-4, openblas",
    "models/proxy-mini, 1e-4, openblas",
    "models/proxy-small, 2e-2, openblas",
  })
  void matchesGoldenLogProbsAndArgmax(String dir, double tolerance, String backend) {
    EngineOptions.Backend requested = EngineOptions.Backend.parse(backend);
    if (requested == EngineOptions.Backend.OPENBLAS) {
      String reason = null;
      try {
        MatrixBackend.OPENBLAS.probe();
      } catch (MatrixBackendUnavailableException e) {
        reason = e.getMessage();
      }
      Assumptions.assumeTrue(reason == null, "skipped: " + reason);
    }
    Path path = SharedData.root().resolve(dir);
    LoadedModel model = ModelLoader.load(path);
    List<GoldenCase> cases = SharedData.golden(path).cases();
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(), EngineOptions.defaults().withThreads(2).withBackend(requested))) {
      List<TokenLogProbs> scores =
          engine.score(cases.stream().map(GoldenCase::inputIds).collect(Collectors.toList()));
      for (int c = 0; c < cases.size(); c++) {
        GoldenCase expected = cases.get(c);
        TokenLogProbs actual = scores.get(c);
        assertEquals(expected.logProbs().length, actual.logProbs().length, "case " + c);
        for (int i = 0; i < expected.logProbs().length; i++) {
          assertEquals(
              expected.logProbs()[i],
              actual.logProbs()[i],
              tolerance,
              dir + " case " + c + " token " + (i + 1));
        }
        // exact everywhere, proxy-small included (its float16 rounding flips no argmax)
        assertArrayEquals(expected.argmax(), actual.argmax(), dir + " case " + c + " argmax");
      }
    }
  }
}
