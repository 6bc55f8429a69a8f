package dev.winnow.prompt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.ReferenceCases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code --precision} on the prompt compressor: a model loaded in bf16 scores in bf16, and compat
 * mode still reproduces LLMLingua exactly because it runs on an fp32 twin of the same weights.
 */
class ProxyLmPrecisionTest {
  private static final Path PROXY_MINI = ReferenceCases.shared().resolve("models/proxy-mini");

  @Test
  void anFp32ModelIsItsOwnCompatModel() {
    try (ProxyLm lm = ProxyLm.loadCpu(PROXY_MINI, 2, EngineOptions.Precision.FP32)) {
      assertEquals(EngineOptions.Precision.FP32, lm.precision());
      assertSame(lm, lm.forCompat());
    }
  }

  @Test
  void aBf16ModelRunsCompatOnAnFp32TwinAndStaysExact() {
    String reason = bf16Unavailable();
    Assumptions.assumeTrue(reason == null, "skipped: " + reason);
    try (ProxyLm lm = ProxyLm.loadCpu(PROXY_MINI, 2, EngineOptions.Precision.BF16)) {
      assertEquals(EngineOptions.Precision.BF16, lm.precision());
      ProxyLm twin = lm.forCompat();
      assertNotSame(lm, twin);
      assertEquals(EngineOptions.Precision.FP32, twin.precision());
      assertSame(twin, lm.forCompat(), "the twin is opened once");
      // a batching view shares the twin
      assertSame(twin, lm.withSequenceScorer(lm.engine()::score).forCompat());

      // bf16 scores differ from fp32 ones (so the twin is what keeps compat exact) ...
      int[] ids = lm.encode("The quick brown fox jumps over the lazy dog near the river bank.");
      float[] bf16 = lm.losses(ids, ids.length);
      float[] fp32 = twin.losses(ids, ids.length);
      double maxDiff = 0;
      for (int i = 0; i < bf16.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(bf16[i] - fp32[i]));
      }
      assertTrue(maxDiff > 0, "bf16 and fp32 losses are identical: the model did not load in bf16");

      // ... and compat requests through the compressor give LLMLingua's output exactly
      PromptCompressor compressor = new PromptCompressor(lm, CompressionMode.COMPAT);
      List<ReferenceCases.Case> cases = ReferenceCases.load();
      for (ReferenceCases.Case c : cases.subList(0, 4)) {
        CompressionResult result = compressor.compress(c.request());
        assertEquals(
            c.expectedPrompt(),
            result.compressedPrompt(),
            () ->
                c.label()
                    + ": "
                    + ReferenceCases.diff(c.expectedPrompt(), result.compressedPrompt()));
      }
    }
  }

  private static String bf16Unavailable() {
    try {
      ScoringEngines.choose(EngineOptions.defaults().withPrecision(EngineOptions.Precision.BF16));
      return null;
    } catch (RuntimeException e) {
      return "no bf16 engine here: " + e.getMessage();
    }
  }
}
