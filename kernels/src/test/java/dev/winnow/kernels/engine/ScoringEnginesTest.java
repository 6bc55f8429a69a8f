package dev.winnow.kernels.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.cpu.MatrixBackend;
import dev.winnow.kernels.cpu.MatrixBackendUnavailableException;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringEnginesTest {

  @Test
  void defaultsAreCpuAutoWithOneThreadPerCore() {
    EngineOptions d = EngineOptions.defaults();
    assertEquals(EngineOptions.Device.CPU, d.device());
    assertEquals(EngineOptions.Precision.AUTO, d.precision());
    assertEquals(EngineOptions.Backend.AUTO, d.backend());
    assertEquals(Runtime.getRuntime().availableProcessors(), d.threads());
    assertEquals(
        "device=cpu precision=auto threads=3 backend=java",
        d.withThreads(3).withBackend(EngineOptions.Backend.JAVA).toString());
  }

  @Test
  void autoResolvesToFp32AndSaysWhy() {
    // on an fp32 backend (the default backend picks oneDNN bf16 where the CPU has bf16: below)
    ScoringEngines.EngineChoice choice =
        ScoringEngines.choose(EngineOptions.defaults().withBackend(EngineOptions.Backend.JAVA));
    String line = choice.describe(2);
    assertTrue(line.contains("precision fp32 (auto"), line);
    assertTrue(line.contains("matrix backend " + choice.backend().id()), line);
    assertTrue(
        ScoringEngines.choose(EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32))
            .precisionReason()
            .startsWith("fp32 as requested"));
  }

  @Test
  void refusesWhatNoEngineSupportsYetWithActionableMessages() {
    IllegalArgumentException cuda =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScoringEngines.choose(
                    EngineOptions.defaults().withDevice(EngineOptions.Device.CUDA)));
    assertTrue(
        cuda.getMessage().contains("no GPU scoring engine exists yet")
            && cuda.getMessage().contains("cpu"),
        cuda.getMessage());
    IllegalArgumentException bf16 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScoringEngines.choose(
                    EngineOptions.defaults()
                        .withBackend(EngineOptions.Backend.JAVA)
                        .withPrecision(EngineOptions.Precision.BF16)));
    assertTrue(
        bf16.getMessage().contains("bf16") && bf16.getMessage().contains("fp32"),
        bf16.getMessage());
    IllegalArgumentException onednn =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScoringEngines.choose(
                    EngineOptions.defaults()
                        .withBackend(EngineOptions.Backend.ONEDNN)
                        .withPrecision(EngineOptions.Precision.FP32)));
    assertTrue(
        onednn.getMessage().contains("onednn") && onednn.getMessage().contains("auto"),
        onednn.getMessage());
    IllegalArgumentException bf16Explicit =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScoringEngines.choose(
                    EngineOptions.defaults()
                        .withBackend(EngineOptions.Backend.OPENBLAS)
                        .withPrecision(EngineOptions.Precision.BF16)));
    assertTrue(bf16Explicit.getMessage().contains("bf16"), bf16Explicit.getMessage());
  }

  @Test
  void autoIsBf16OnOneDnnWhereTheCpuHasBf16AndOneDnnLoadsElseFp32() {
    String oneDnn = null;
    try {
      MatrixBackend.ONEDNN.probe();
    } catch (MatrixBackendUnavailableException e) {
      oneDnn = e.getMessage();
    }
    ScoringEngines.EngineChoice choice = ScoringEngines.choose(EngineOptions.defaults());
    String line = choice.describe(2);
    if (CpuFeatures.hasBf16() && oneDnn == null) {
      assertEquals(MatrixBackend.ONEDNN, choice.backend(), line);
      assertEquals(EngineOptions.Precision.BF16, choice.precision());
      assertTrue(line.contains("matrix backend onednn (auto") && line.contains("bf16 (auto"), line);
      assertTrue(line.contains("amx_bf16") || line.contains("avx512_bf16"), line);
      // bf16 asked for explicitly, on either backend that can give it
      assertEquals(
          MatrixBackend.ONEDNN,
          ScoringEngines.choose(
                  EngineOptions.defaults().withPrecision(EngineOptions.Precision.BF16))
              .backend());
    } else {
      assertEquals(EngineOptions.Precision.FP32, choice.precision(), line);
      assertTrue(line.contains("precision fp32 (auto"), line);
      IllegalArgumentException bf16 =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  ScoringEngines.choose(
                      EngineOptions.defaults().withPrecision(EngineOptions.Precision.BF16)));
      assertTrue(bf16.getMessage().contains("use precision fp32 or auto"), bf16.getMessage());
    }
    // fp32 asked for: never oneDNN
    assertTrue(
        ScoringEngines.choose(EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32))
                .backend()
            != MatrixBackend.ONEDNN);
  }

  @Test
  void validatesAndParsesOptions() {
    IllegalArgumentException threads =
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withThreads(0));
    assertTrue(threads.getMessage().contains("illegal thread count 0"), threads.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withBackend(null));
    assertEquals(EngineOptions.Precision.BF16, EngineOptions.Precision.parse("BF16"));
    assertEquals(EngineOptions.Device.CUDA, EngineOptions.Device.parse(" cuda "));
    assertEquals(EngineOptions.Backend.OPENBLAS, EngineOptions.Backend.parse("openblas"));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.Precision.parse("fp16"));
    assertEquals("illegal precision 'fp16': must be one of auto, fp32, bf16", bad.getMessage());
  }

  @Test
  void fallsBackToJavaSayingWhyWhenNativeLibrariesAreDisabled() {
    String property = "winnow.kernels.native";
    String before = System.getProperty(property);
    System.setProperty(property, "off");
    try {
      ScoringEngines.EngineChoice choice = ScoringEngines.choose(EngineOptions.defaults());
      assertEquals(MatrixBackend.JAVA, choice.backend());
      assertTrue(
          choice.backendReason().contains("fell back")
              && choice.backendReason().contains("-D" + property + "=off"),
          choice.backendReason());
      MatrixBackendUnavailableException refused =
          assertThrows(
              MatrixBackendUnavailableException.class,
              () ->
                  ScoringEngines.choose(
                      EngineOptions.defaults().withBackend(EngineOptions.Backend.OPENBLAS)));
      assertTrue(
          refused.getMessage().contains("openblas backend unavailable"), refused.getMessage());
      MatrixBackendUnavailableException noOneDnn =
          assertThrows(
              MatrixBackendUnavailableException.class,
              () ->
                  ScoringEngines.choose(
                      EngineOptions.defaults().withBackend(EngineOptions.Backend.ONEDNN)));
      assertTrue(
          noOneDnn.getMessage().contains("onednn backend unavailable")
              && noOneDnn.getMessage().contains("-D" + property + "=off"),
          noOneDnn.getMessage());
      assertTrue(choice.precisionReason().startsWith("fp32 (auto"), choice.precisionReason());
      LoadedModel model = ModelLoader.load(SharedData.fixture("tiny-gpt2"));
      SharedData.GoldenCase golden =
          SharedData.golden(SharedData.fixture("tiny-gpt2")).cases().get(1);
      try (ScoringEngine engine =
          ScoringEngines.open(model, EngineOptions.defaults().withThreads(2))) {
        assertEquals(MatrixBackend.JAVA, ((CpuScoringEngine) engine).backend());
        assertArrayEquals(
            golden.logProbs(), engine.score(List.of(golden.inputIds())).get(0).logProbs(), 1e-4f);
      }
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void theFactorysJavaEngineEqualsTheConstructorsEngine() {
    LoadedModel model = ModelLoader.load(SharedData.fixture("tiny-llama"));
    int[] ids = SharedData.golden(SharedData.fixture("tiny-llama")).cases().get(2).inputIds();
    try (ScoringEngine factory =
            ScoringEngines.open(
                model,
                EngineOptions.defaults().withThreads(2).withBackend(EngineOptions.Backend.JAVA));
        CpuScoringEngine constructed = new CpuScoringEngine(model.weights(), 2)) {
      assertEquals(MatrixBackend.JAVA, ((CpuScoringEngine) factory).backend());
      assertEquals(2, ((CpuScoringEngine) factory).threads());
      assertArrayEquals(
          constructed.score(List.of(ids)).get(0).logProbs(),
          factory.score(List.of(ids)).get(0).logProbs(),
          0f);
    }
  }
}
