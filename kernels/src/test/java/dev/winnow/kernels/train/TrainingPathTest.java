package dev.winnow.kernels.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.kernels.cpu.MatrixBackend;
import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SharedData;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training path's forward against the inference engine, its gate and LoRA gradients against
 * finite differences, AdamW determinism and gradient clipping.
 */
class TrainingPathTest {

  private static ModelWeights weights(String fixture) {
    return ModelLoader.load(SharedData.fixture(fixture)).weights();
  }

  private static int[][] ids(String fixture) throws IOException {
    return GradientGoldenTest.inputIds(
        new ObjectMapper()
            .readTree(SharedData.fixture(fixture).resolve("grad-golden.json").toFile()));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "tiny-gpt2, java",
    "tiny-llama, java",
    "tiny-qwen2, java",
    "tiny-gpt2, openblas",
    "tiny-llama, openblas",
    "tiny-qwen2, openblas"
  })
  void forwardLogProbsEqualTheInferenceEngines(String fixture, String backendName) {
    MatrixBackend backend = GradientGoldenTest.backend(backendName);
    ModelWeights w = weights(fixture);
    List<SharedData.GoldenCase> cases = SharedData.golden(SharedData.fixture(fixture)).cases();
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = MatrixProducts.open(backend, pool);
        ScoringEngine engine =
            ScoringEngines.open(
                w,
                EngineOptions.defaults()
                    .withThreads(2)
                    .withBackend(EngineOptions.Backend.parse(backendName)))) {
      TrainableModel model = new TrainableModel(w, null, products, pool);
      for (SharedData.GoldenCase c : cases) {
        float[] got = model.nextTokenLogProbs(new int[][] {c.inputIds()})[0];
        TokenLogProbs want = engine.score(List.of(c.inputIds())).get(0);
        assertEquals(want.logProbs().length, got.length);
        for (int i = 0; i < got.length; i++) {
          assertEquals(want.logProbs()[i], got[i], 2e-5, fixture + " token " + (i + 1));
          // and both are transformers' (golden.json)
          assertEquals(c.logProbs()[i], got[i], 1e-4, fixture + " golden token " + (i + 1));
        }
      }
    }
  }

  /** Central differences in the loss (float32 forward, double loss) against the gradients. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void gateAndLoraGradientsMatchFiniteDifferences(String fixture) throws IOException {
    int[][] ids = ids(fixture);
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = MatrixProducts.open(MatrixBackend.JAVA, pool)) {
      TrainableModel model =
          new TrainableModel(weights(fixture), LoraConfig.ofRank(4, 11), products, pool);
      model.setTrainable(EnumSet.of(ParameterGroup.GATES, ParameterGroup.LORA));
      // move off the identity so every gradient is non-trivial: gates ≠ 1, B ≠ 0
      model.gate(0).value()[0] = 0.8f;
      model.gate(1).value()[0] = 1.2f;
      SplittableRandom random = new SplittableRandom(3);
      for (Parameter p : model.parameters(ParameterGroup.LORA)) {
        if (p.name().endsWith("lora_B.weight")) {
          float[] b = p.value();
          for (int i = 0; i < b.length; i++) {
            b[i] = (float) (random.nextGaussian() * 0.05);
          }
        }
      }
      TrainingLoss loss = new NextTokenNll();
      model.zeroGradients();
      model.lossAndGradients(ids, loss);
      int checked = 0;
      for (Parameter p : model.trainableParameters()) {
        boolean gate = p.name().endsWith(".gate");
        if (!gate && !p.name().contains("layers.1") && !p.name().contains("h.1")) {
          continue; // LoRA: the last block's adapters (and the first block's via the gates)
        }
        int[] picks = gate ? new int[] {0} : new int[] {0, p.size() / 2, p.size() - 1};
        for (int i : picks) {
          float[] v = p.value();
          float original = v[i];
          double h = 1e-2;
          v[i] = (float) (original + h);
          double up = model.loss(ids, loss);
          v[i] = (float) (original - h);
          double down = model.loss(ids, loss);
          v[i] = original;
          double numeric = (up - down) / (2 * h);
          double analytic = p.grad()[i];
          assertEquals(
              numeric,
              analytic,
              2e-3 * Math.max(1e-1, Math.abs(numeric)),
              p.name() + "[" + i + "]: finite difference " + numeric + ", gradient " + analytic);
          checked++;
        }
      }
      assertTrue(checked >= 2 + 3 * 4, "checked " + checked + " values");
    }
  }

  @Test
  void gradientsDoNotDependOnTheThreadCount() throws IOException {
    int[][] ids = ids("tiny-llama");
    Map<String, float[]> one = gradients(ids, 1);
    Map<String, float[]> two = gradients(ids, 2);
    assertEquals(one.keySet(), two.keySet());
    for (String name : one.keySet()) {
      assertArrayEquals(one.get(name), two.get(name), name);
    }
  }

  private static Map<String, float[]> gradients(int[][] ids, int threads) {
    try (WorkerPool pool = new WorkerPool(threads);
        MatrixProducts products = MatrixProducts.open(MatrixBackend.JAVA, pool)) {
      TrainableModel model =
          new TrainableModel(weights("tiny-llama"), LoraConfig.ofRank(2, 5), products, pool);
      model.setTrainable(EnumSet.allOf(ParameterGroup.class));
      model.zeroGradients();
      model.lossAndGradients(ids, new NextTokenNll());
      return model.huggingFaceGradients();
    }
  }

  @Test
  void adamWStepsAreDeterministicGivenTheSeedAndLowerTheLoss() throws IOException {
    int[][] ids = ids("tiny-qwen2");
    float[][] first = train(ids, 42, null);
    float[][] again = train(ids, 42, null);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], again[i], "parameter " + i);
    }
    float[][] other = train(ids, 43, null);
    boolean differs = false;
    for (int i = 0; i < first.length; i++) {
      differs |= !java.util.Arrays.equals(first[i], other[i]);
    }
    assertTrue(differs, "another LoRA seed gives another result");
    double[] losses = new double[2];
    train(ids, 42, losses);
    assertTrue(losses[1] < losses[0] - 0.05, "loss " + losses[0] + " -> " + losses[1]);
  }

  /** Five AdamW steps on LoRA, gates, norms and scales; returns the trained values. */
  private static float[][] train(int[][] ids, long seed, double[] losses) {
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = MatrixProducts.open(MatrixBackend.JAVA, pool)) {
      TrainableModel model =
          new TrainableModel(weights("tiny-qwen2"), LoraConfig.ofRank(4, seed), products, pool);
      model.setTrainable(
          EnumSet.of(
              ParameterGroup.LORA,
              ParameterGroup.GATES,
              ParameterGroup.NORMS,
              ParameterGroup.SCALES));
      List<Parameter> params = model.trainableParameters();
      AdamW adam = new AdamW(params, AdamW.Settings.defaults(1e-2));
      TrainingLoss loss = new NextTokenNll();
      for (int s = 0; s < 5; s++) {
        model.zeroGradients();
        double l = model.lossAndGradients(ids, loss);
        if (losses != null && s == 0) {
          losses[0] = l;
        }
        GradientClipping.clipGlobalNorm(params, 1.0);
        adam.step();
      }
      if (losses != null) {
        losses[1] = model.loss(ids, loss);
      }
      float[][] out = new float[params.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = params.get(i).value().clone();
      }
      return out;
    }
  }

  @Test
  void adamWFirstStepMovesEachWeightByTheLearningRateAndDecaysMatricesOnly() {
    Parameter matrix = new Parameter("w", new float[] {1f, -2f, 0.5f, 3f}, true, 2, 2);
    Parameter vector = new Parameter("g", new float[] {1f, 1f}, false, 2);
    matrix.setTrainable(true);
    vector.setTrainable(true);
    float[] gm = {0.3f, -5f, 1e-3f, 2f};
    System.arraycopy(gm, 0, matrix.grad(), 0, 4);
    vector.grad()[0] = 0.7f;
    vector.grad()[1] = -0.1f;
    double lr = 0.1;
    new AdamW(List.of(matrix, vector), AdamW.Settings.defaults(lr)).step();
    float[] before = {1f, -2f, 0.5f, 3f};
    for (int i = 0; i < 4; i++) {
      double expected =
          before[i] * (1 - lr * 0.01)
              - lr * Math.signum(gm[i]) * (Math.abs(gm[i]) / (Math.abs(gm[i]) + 1e-8));
      assertEquals(expected, matrix.value()[i], 1e-6, "matrix " + i);
    }
    assertEquals(1 - lr, vector.value()[0], 1e-6);
    assertEquals(1 + lr, vector.value()[1], 1e-6);
  }

  @Test
  void clippingScalesToTheMaximumNormAndLeavesSmallGradientsAlone() {
    Parameter a = new Parameter("a", new float[2], false, 2);
    Parameter b = new Parameter("b", new float[1], false, 1);
    a.setTrainable(true);
    b.setTrainable(true);
    a.grad()[0] = 3f;
    a.grad()[1] = 0f;
    b.grad()[0] = 4f;
    double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 1.0);
    assertEquals(5.0, norm, 1e-9);
    assertEquals(0.6f, a.grad()[0], 1e-6);
    assertEquals(0.8f, b.grad()[0], 1e-6);
    float kept = a.grad()[0];
    double again = GradientClipping.clipGlobalNorm(List.of(a, b), 2.0);
    assertEquals(1.0, again, 1e-5);
    assertEquals(kept, a.grad()[0], 0f, "under the maximum: unchanged");
    assertThrows(
        IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(a), 0));
  }

  @Test
  void gatesAtOneReproduceTheModelAndAZeroGateBypassesTheBlock() throws IOException {
    int[][] ids = ids("tiny-llama");
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = MatrixProducts.open(MatrixBackend.JAVA, pool)) {
      TrainableModel plain = new TrainableModel(weights("tiny-llama"), null, products, pool);
      TrainableModel adapted =
          new TrainableModel(weights("tiny-llama"), LoraConfig.ofRank(4, 1), products, pool);
      float[] a = plain.logits(ids);
      float[] b = adapted.logits(ids);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-5f, "fresh LoRA (B = 0) changes logit " + i);
      }
      plain.gate(1).value()[0] = 0f;
      float[] bypassed = plain.logits(ids);
      assertFalse(java.util.Arrays.equals(a, bypassed), "gate 0 changes the output");
      assertThrows(
          IllegalArgumentException.class,
          () -> plain.setTrainable(EnumSet.of(ParameterGroup.LORA)));
      assertThrows(IllegalArgumentException.class, () -> plain.logits(new int[][] {{1, 2}, {3}}));
    }
  }
}
