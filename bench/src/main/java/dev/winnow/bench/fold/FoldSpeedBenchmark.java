package dev.winnow.bench.fold;

import dev.winnow.bench.BenchEnv;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.fold.BlockSharing;
import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.model.RopeConfig;
import dev.winnow.kernels.safetensors.DType;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Scoring throughput of folded shapes against their originals, on random weights of two real
 * shapes: SmolLM2-135M (Llama, 30 blocks, 576 wide, GQA 9/3, 49,152 vocabulary, tied) folded to 20
 * blocks in 10 shared pairs, and GPT-2-124M (12 blocks, 768 wide, 50,257 vocabulary) folded to 8
 * blocks in 4 shared pairs. Same engine, same token ids, the original and the folded model
 * alternating (ABAB), best of the rounds. Writes {@code bench/results/fold-speed.md}.
 *
 * <pre>
 * java -Xmx6g -cp kernels/target/classes:bench/target/classes:$(cat /tmp/kcp.txt) \
 *     dev.winnow.bench.fold.FoldSpeedBenchmark
 * </pre>
 */
public final class FoldSpeedBenchmark {
  private FoldSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("seconds", "3"));
    String[] precisions = System.getProperty("precisions", "fp32,bf16").split(",");
    StringBuilder md =
        new StringBuilder("# Folded shapes: scoring throughput against the original\n\n");
    md.append("`FoldSpeedBenchmark` on ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(". ")
        .append(BenchEnv.machine())
        .append("; load average at start ")
        .append(String.format(Locale.ROOT, "%.2f", BenchEnv.loadAverage()))
        .append(
            ".\n\nRandom weights (N(0, 0.02)) of the real shapes; `score()` on 1 × 512 random"
                + " token ids, 2 threads; each model timed for ")
        .append(seconds)
        .append(" s per round, 3 rounds alternating original and folded, best round.\n\n")
        .append(
            "| shape | precision | blocks | distinct block weight sets | tokens/s | folded ÷ original |\n")
        .append("|---|---|---|---|---|---|\n");
    for (String shape : List.of("smollm2-135m", "gpt2-124m")) {
      ModelWeights original = random(shape);
      int keep = shape.startsWith("smollm2") ? 20 : 8;
      ModelWeights folded = fold(original, keep);
      for (String p : precisions) {
        EngineOptions o =
            EngineOptions.defaults().withThreads(2).withPrecision(EngineOptions.Precision.parse(p));
        double[] best = new double[2];
        try (ScoringEngine a = ScoringEngines.open(original, o);
            ScoringEngine b = ScoringEngines.open(folded, o)) {
          int[] ids = new SplittableRandom(3).ints(512, 0, original.config().vocabSize()).toArray();
          for (int round = 0; round < 3; round++) {
            best[0] = Math.max(best[0], rate(a, ids, seconds));
            best[1] = Math.max(best[1], rate(b, ids, seconds));
          }
        }
        md.append(row(shape, p, original, best[0], 1));
        md.append(row(shape, p, folded, best[1], best[1] / best[0]));
        System.out.print(md);
      }
    }
    md.append("\nLoad average at the end: ")
        .append(String.format(Locale.ROOT, "%.2f", BenchEnv.loadAverage()))
        .append(".\n");
    Files.writeString(BenchEnv.result("fold-speed.md"), md.toString());
    System.out.println(md);
  }

  private static String row(String shape, String p, ModelWeights w, double tps, double ratio) {
    long distinct = w.layers().stream().map(LayerWeights::qkvWeight).distinct().count();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %d | %,.0f | %.2f× |\n",
        shape,
        p,
        w.config().layers(),
        distinct,
        tps,
        ratio);
  }

  private static double rate(ScoringEngine e, int[] ids, double seconds) {
    e.score(List.of(ids));
    long t0 = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - t0 < seconds * 1e9) {
      e.score(List.of(ids));
      calls++;
    }
    return calls * ids.length / ((System.nanoTime() - t0) / 1e9);
  }

  /** Keeps {@code keep} evenly spread blocks (first and last kept) in shared consecutive pairs. */
  static ModelWeights fold(ModelWeights w, int keep) {
    int n = w.config().layers();
    List<Integer> kept =
        IntStream.range(0, keep)
            .map(i -> (int) Math.round(i * (n - 1.0) / (keep - 1)))
            .boxed()
            .toList();
    ModelWeights pruned = BlockSharing.keep(w, kept);
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> leaders = new ArrayList<>();
    for (int i = 0; i + 1 < keep; i += 2) {
      groups.add(List.of(i, i + 1));
      leaders.add(i);
    }
    return BlockSharing.share(pruned, groups, leaders);
  }

  static ModelWeights random(String shape) {
    SplittableRandom r = new SplittableRandom(1);
    boolean gpt2 = shape.startsWith("gpt2");
    ModelConfig c =
        gpt2
            ? new ModelConfig(
                Architecture.GPT2,
                50257,
                768,
                12,
                12,
                12,
                64,
                3072,
                1024,
                1e-5,
                true,
                true,
                true,
                true,
                null,
                false)
            : new ModelConfig(
                Architecture.LLAMA,
                49152,
                576,
                30,
                9,
                3,
                64,
                1536,
                2048,
                1e-5,
                true,
                false,
                false,
                false,
                RopeConfig.unscaled(100000),
                false);
    int d = c.hiddenSize();
    int qkv = c.queryDim() + 2 * c.kvDim();
    int inter = c.intermediateSize();
    int up = gpt2 ? inter : 2 * inter;
    List<LayerWeights> layers = new ArrayList<>();
    for (int l = 0; l < c.layers(); l++) {
      layers.add(
          new LayerWeights(
              ones(d), gpt2 ? new float[d] : null,
              gauss(r, d * qkv), gpt2 ? new float[qkv] : null,
              gauss(r, c.queryDim() * d), gpt2 ? new float[d] : null,
              ones(d), gpt2 ? new float[d] : null,
              gauss(r, d * up), gpt2 ? new float[up] : null,
              gauss(r, inter * d), gpt2 ? new float[d] : null));
    }
    float[] emb = gauss(r, c.vocabSize() * d);
    float[] head = new float[emb.length];
    for (int v = 0; v < c.vocabSize(); v++) {
      for (int j = 0; j < d; j++) {
        head[j * c.vocabSize() + v] = emb[v * d + j];
      }
    }
    return new ModelWeights(
        c,
        emb,
        gpt2 ? gauss(r, c.contextLength() * d) : null,
        layers,
        ones(d),
        gpt2 ? new float[d] : null,
        head,
        DType.BF16);
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  private static float[] gauss(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      // Box-Muller
      double u = 1 - r.nextDouble();
      double v = r.nextDouble();
      a[i] = (float) (0.02 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }
    return a;
  }
}
