package dev.winnow.kernels.fold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.ModelFormatException;
import dev.winnow.kernels.cpu.MatrixBackend;
import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SharedData;
import dev.winnow.kernels.train.TrainableModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold pipeline on proxy-deep (12 Llama blocks) with small budgets: removal methods against
 * their definitions, sharing and its measured choice, distillation keeping a group's weights one,
 * the Hugging Face export loading back to the same model, fold.json's sharing kept once in memory.
 */
class FoldTest {
  static LoadedModel deep;
  static WorkerPool pool;
  static MatrixProducts products;
  static TokenBatches data;

  @BeforeAll
  static void load() throws Exception {
    deep = ModelLoader.load(SharedData.model("proxy-deep"));
    pool = new WorkerPool(2);
    products = MatrixProducts.open(MatrixBackend.OPENBLAS, pool);
    List<String> texts = new ArrayList<>();
    Path news = SharedData.root().resolve("corpora/news.jsonl.gz");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(news)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && texts.size() < 40) {
        texts.add(json.readTree(line).get("text").asText());
      }
    }
    data = TokenBatches.pack(texts, deep.requireTokenizer(), 32);
  }

  @AfterAll
  static void close() {
    products.close();
    pool.close();
  }

  private static FoldSettings small(FoldMethod m, int keep, int groups, long train) {
    return FoldSettings.defaults(keep, groups)
        .withMethod(m)
        .withTrainTokens(train)
        .withBudgets(2 * 64, 256, 32, 2);
  }

  @Test
  void analysisMeasuresInfluenceSimilarityAndRemovalCostAsDefined() {
    TrainableModel m = new TrainableModel(deep.weights(), null, products, pool);
    List<int[][]> batches = data.head(128, 2);
    BlockAnalysis a = BlockAnalysis.measure(m, batches);
    assertEquals(12, a.blockInfluence().length);
    for (int l = 0; l < 12; l++) {
      assertEquals(1.0, a.outputSimilarity()[l][l], 1e-5, "a block's output is itself");
      assertTrue(a.blockInfluence()[l] > 0 && a.blockInfluence()[l] < 2);
    }
    // removal cost: NLL with the gate at 0, directly
    m.gate(5).value()[0] = 0f;
    double without = BlockAnalysis.meanNll(m, batches);
    m.gate(5).value()[0] = 1f;
    assertEquals(without - a.baseNll(), a.removalCost()[5], 1e-9);
    // BI of block 0 from the streams, for one batch
    float[][] s = m.residualStreams(batches.get(0));
    int d = 256;
    double bi = 0;
    int n = s[0].length / d;
    for (int r = 0; r < n; r++) {
      double ab = 0;
      double aa = 0;
      double bb = 0;
      for (int j = 0; j < d; j++) {
        ab += (double) s[0][r * d + j] * s[1][r * d + j];
        aa += (double) s[0][r * d + j] * s[0][r * d + j];
        bb += (double) s[1][r * d + j] * s[1][r * d + j];
      }
      bi += 1 - ab / Math.sqrt(aa * bb);
    }
    BlockAnalysis one = BlockAnalysis.measure(m, List.<int[][]>of(batches.get(0)));
    assertEquals(bi / n, one.blockInfluence()[0], 1e-9);
  }

  @Test
  void biRemovesTheLowestInfluenceAndSlebTheCheapestBypassFirst() {
    TrainableModel m = new TrainableModel(deep.weights(), null, products, pool);
    List<int[][]> batches = data.head(128, 2);
    BlockAnalysis a = BlockAnalysis.measure(m, batches);
    BlockRemoval bi = BlockRemoval.byInfluence(a, 9);
    double[] v = a.blockInfluence();
    for (int removed : bi.removed()) {
      for (int kept : bi.kept(12)) {
        assertTrue(v[removed] <= v[kept], "removed " + removed + " kept " + kept);
      }
    }
    BlockRemoval sleb = BlockRemoval.greedy(m, batches, 10);
    int cheapest = 0;
    for (int l = 1; l < 12; l++) {
      if (a.removalCost()[l] < a.removalCost()[cheapest]) {
        cheapest = l;
      }
    }
    assertTrue(sleb.removed().contains(cheapest), "SLEB's first removal is the cheapest bypass");
    assertEquals(a.baseNll() + a.removalCost()[cheapest], sleb.greedyNll()[0], 1e-9);
    for (int l = 0; l < 12; l++) {
      assertEquals(1f, m.gate(l).value()[0], "gates restored");
    }
  }

  @Test
  void gatedRemovalHoldsTheDepthSeparatesTheGatesAndNeverRemovesTheEmbeddingBlock() {
    TrainableModel teacher = new TrainableModel(deep.weights(), null, products, pool);
    TrainableModel student = new TrainableModel(deep.weights(), null, products, pool);
    BlockRemoval g =
        BlockRemoval.gated(
            student, teacher, data.training(24, 2, 1), 8, 1.0, 1, FoldProgress.silent());
    assertEquals(4, g.removed().size());
    // block 0 costs 60x any other block to bypass (analysis): the gates must keep it
    assertTrue(!g.removed().contains(0), "removed " + g.removed());
    double mean = 0;
    double min = 1;
    for (double x : g.gates()) {
      assertTrue(x >= 0 && x <= 1);
      mean += x / 12;
      min = Math.min(min, x);
    }
    assertEquals(8 / 12.0, mean, 1e-6, "the projection holds mean g = K/L exactly");
    // its removal costs 60x any other's: it rises at the full step rate (0.02 a step)
    assertTrue(g.gates()[0] > mean + 0.15, "block 0 rose: " + Arrays.toString(g.gates()));
    // the sampled masks move the gates apart; the penalty form left them within 0.005
    assertTrue(g.gates()[0] - min > 0.2, "gates separated: " + Arrays.toString(g.gates()));
    for (int l = 0; l < 12; l++) {
      assertEquals(1f, student.gate(l).value()[0], "gates restored");
    }
  }

  @Test
  void projectionOntoTheDepthConstraintIsExactBoundedAndKeepsTheOrder() {
    double[] g = {1.3, 0.9, 0.2, -0.4, 0.7, 1.0};
    BlockRemoval.project(g, 4 / 6.0);
    double mean = 0;
    for (double x : g) {
      assertTrue(x >= 0 && x <= 1, Arrays.toString(g));
      mean += x / 6;
    }
    assertEquals(4 / 6.0, mean, 1e-12);
    assertEquals(1.0, g[0], 1e-12, "clamped at 1");
    assertEquals(0.0, g[3], 1e-12, "clamped at 0");
    assertTrue(g[0] >= g[5] && g[5] >= g[1] && g[1] >= g[4] && g[4] >= g[2] && g[2] >= g[3]);
    // the inner ones moved by one common shift
    assertEquals(0.9 - g[1], 0.7 - g[4], 1e-12);
    // a feasible point stays where it is
    double[] f = {1, 0.5, 0.5, 0};
    BlockRemoval.project(f, 0.5);
    assertArrayEquals(new double[] {1, 0.5, 0.5, 0}, f, 1e-12);
  }

  @Test
  void bypassNllOfAChoiceIsTheAnalysisRemovalCostForOneBlock() {
    TrainableModel m = new TrainableModel(deep.weights(), null, products, pool);
    List<int[][]> batches = data.head(128, 2);
    BlockAnalysis a = BlockAnalysis.measure(m, batches);
    BlockRemoval one = new BlockRemoval(FoldMethod.BI, List.of(5), null, null);
    assertEquals(a.baseNll() + a.removalCost()[5], one.bypassNll(m, batches), 1e-9);
    assertEquals(1f, m.gate(5).value()[0], "gate restored");
  }

  @Test
  void sharingRunsTheLeadersArraysAndKeepsOwnNorms() {
    ModelWeights pruned = BlockSharing.keep(deep.weights(), List.of(0, 1, 2, 3, 5, 6, 8, 10));
    BlockSharing s = BlockSharing.choose(pruned, 2, 2, data.head(128, 2), products, pool);
    assertEquals(2, s.groups().size());
    assertEquals(2 * 7, s.candidates().size(), "every window of 2 and both leaders measured");
    for (int g = 0; g < 2; g++) {
      LayerWeights lead = s.folded().layers().get(s.leaders().get(g));
      for (int m : s.groups().get(g)) {
        LayerWeights own = s.folded().layers().get(m);
        assertSame(lead.qkvWeight(), own.qkvWeight());
        assertSame(lead.downWeight(), own.downWeight());
        assertSame(pruned.layers().get(m).norm1Weight(), own.norm1Weight());
      }
    }
    assertTrue(s.groups().get(0).get(1) < s.groups().get(1).get(0), "groups disjoint and in order");
    long saved = pruned.floatCount() - s.folded().floatCount();
    int d = 256;
    long block = (long) d * 512 + 256L * d + d * 1280L + 640L * d;
    assertEquals(2 * block, saved, "one block's matrices saved per group of two");
  }

  @Test
  void foldWritesAModelThatLoadsBackScoresTheSameAndKeepsSharedWeightsOnce(@TempDir Path out) {
    FoldResult r =
        Folder.fold(
            deep.weights(),
            data,
            null,
            null,
            small(FoldMethod.BI, 8, 2, 4 * 64),
            products,
            pool,
            FoldProgress.silent());
    assertEquals(8, r.weights().config().layers());
    assertEquals(4, r.distillation().losses().length);
    FoldOutput.writeModel(out, SharedData.model("proxy-deep"), r.weights());
    FoldOutput.writeManifest(out, FoldOutput.manifest(r));
    LoadedModel back = ModelLoader.load(out);
    assertEquals(8, back.config().layers());
    for (List<Integer> g : r.sharing().groups()) {
      assertSame(
          back.weights().layers().get(g.get(0)).upWeight(),
          back.weights().layers().get(g.get(1)).upWeight(),
          "fold.json's groups share one array after loading");
    }
    assertEquals(r.weights().floatCount(), back.weights().floatCount());
    int[] ids = data.head(32, 1).get(0)[0];
    try (ScoringEngine a =
            ScoringEngines.open(
                r.weights(), EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32));
        ScoringEngine b =
            ScoringEngines.open(
                back.weights(),
                EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32))) {
      TokenLogProbs x = a.score(List.of(ids)).get(0);
      TokenLogProbs y = b.score(List.of(ids)).get(0);
      assertArrayEquals(
          x.logProbs(), y.logProbs(), 0f, "written in the stored dtype, already rounded");
    }
  }

  @Test
  void distillationKeepsAGroupsAdaptersOneAndLowersTheLoss() {
    ModelWeights pruned = BlockSharing.keep(deep.weights(), List.of(0, 1, 2, 3, 4, 5, 6, 7));
    ModelWeights shared = BlockSharing.share(pruned, List.of(List.of(2, 3)), List.of(2));
    TrainableModel teacher = new TrainableModel(deep.weights(), null, products, pool);
    FoldSettings s = small(FoldMethod.BI, 8, 1, 0);
    Distiller d =
        Distiller.train(
            shared,
            List.of(List.of(2, 3)),
            teacher,
            data.training(12, 2, 3),
            s,
            products,
            pool,
            FoldProgress.silent());
    assertSame(d.weights().layers().get(2).qkvWeight(), d.weights().layers().get(3).qkvWeight());
    assertTrue(
        !java.util.Arrays.equals(
            pruned.layers().get(2).qkvWeight(), d.weights().layers().get(2).qkvWeight()),
        "the adapters were merged into the shared matrix");
    double first = (d.losses()[0] + d.losses()[1]) / 2;
    double last = (d.losses()[10] + d.losses()[11]) / 2;
    assertTrue(last < first, "loss " + first + " -> " + last);
  }

  @Test
  void exportMergesAdaptersIntoTheSameFunction() {
    TrainableModel m =
        new TrainableModel(
            deep.weights(), dev.winnow.kernels.train.LoraConfig.ofRank(4, 7), products, pool);
    Random random = new Random(5);
    for (var p : m.parameters(dev.winnow.kernels.train.ParameterGroup.LORA)) {
      float[] v = p.value();
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (random.nextGaussian() * 0.02);
      }
    }
    int[][] ids = data.head(64, 2).get(0);
    float[][] with = m.nextTokenLogProbs(ids);
    ModelWeights f32 = m.exportWeights(dev.winnow.kernels.safetensors.DType.F32);
    // unrounded values, but the source's dtype so that RoPE's frequencies round as before
    ModelWeights merged =
        new ModelWeights(
            f32.config(),
            f32.tokenEmbedding(),
            f32.positionEmbedding(),
            f32.layers(),
            f32.finalNormWeight(),
            f32.finalNormBias(),
            f32.head(),
            deep.weights().storedAs());
    float[][] plain = new TrainableModel(merged, null, products, pool).nextTokenLogProbs(ids);
    for (int b = 0; b < ids.length; b++) {
      assertArrayEquals(with[b], plain[b], 2e-4f);
    }
    m.gate(3).value()[0] = 0.5f;
    assertThrows(
        IllegalStateException.class,
        () -> m.exportWeights(dev.winnow.kernels.safetensors.DType.F32));
  }

  @Test
  void aHandEditedFoldJsonIsAClearError(@TempDir Path out) throws Exception {
    FoldResult r =
        Folder.fold(
            deep.weights(),
            data,
            null,
            null,
            small(FoldMethod.BI, 10, 0, 0),
            products,
            pool,
            FoldProgress.silent());
    FoldOutput.writeModel(out, SharedData.model("proxy-deep"), r.weights());
    Files.writeString(out.resolve("fold.json"), "{\"shared_groups\": [[0, 1]]}");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(out));
    assertTrue(e.getMessage().contains("blocks 0 and 1"), e.getMessage());
  }

  @Test
  void settingsThatCannotWorkAreRefusedNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FoldSettings.defaults(4, 3));
    assertTrue(e.getMessage().contains("--groups 3"), e.getMessage());
    IllegalArgumentException all =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Folder.fold(
                    deep.weights(),
                    data,
                    null,
                    null,
                    small(FoldMethod.BI, 12, 0, 0),
                    products,
                    pool,
                    FoldProgress.silent()));
    assertTrue(all.getMessage().contains("--keep-blocks 12"), all.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FoldMethod.parse("random"));
  }

  @Test
  void rankStatisticsMatchHandComputedValues() {
    double[] a = {1, 2, 3, 4, 5};
    assertEquals(1.0, Fidelity.spearman(a, new double[] {2, 4, 6, 8, 10}), 1e-12);
    assertEquals(-1.0, Fidelity.kendall(a, new double[] {5, 4, 3, 2, 1}), 1e-12);
    // one swapped pair of 10: tau = (9 - 1) / 10
    assertEquals(0.8, Fidelity.kendall(a, new double[] {1, 3, 2, 4, 5}), 1e-12);
    assertEquals(0.9, Fidelity.spearman(a, new double[] {1, 3, 2, 4, 5}), 1e-12);
    assertEquals(
        0.5, Fidelity.overlap(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 0}, 0.5), 1e-12);
  }
}
