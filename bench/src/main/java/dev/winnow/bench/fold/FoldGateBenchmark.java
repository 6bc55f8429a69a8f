package dev.winnow.bench.fold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.bench.BenchEnv;
import dev.winnow.kernels.cpu.MatrixBackend;
import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.fold.BlockAnalysis;
import dev.winnow.kernels.fold.BlockRemoval;
import dev.winnow.kernels.fold.FoldProgress;
import dev.winnow.kernels.fold.TokenBatches;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.train.TrainableModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The removal choice on its own: for each method (ShortGPT BI, SLEB, gates with the sampled,
 * projected and penalty updates), the blocks it removes and the held-out NLL of the model with
 * those blocks bypassed, before any sharing or distillation. Calibration and held-out text are the
 * shared corpora's documents split by position (every 20th document held out). Writes {@code
 * bench/results/fold-gates.md}.
 *
 * <pre>
 * java -Xmx6g -cp kernels/target/classes:bench/target/classes:$(cat /tmp/bcp.txt) \
 *     dev.winnow.bench.fold.FoldGateBenchmark ../shared/models/proxy-deep 8,6 \
 *     ../shared/corpora/{news,web,prose,reviews,speeches}.jsonl.gz
 * </pre>
 */
public final class FoldGateBenchmark {
  private FoldGateBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path modelDir = Path.of(args[0]);
    int[] keeps = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int gateSteps = Integer.getInteger("gateSteps", 128);
    List<String> train = new ArrayList<>();
    List<String> held = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int a = 2; a < args.length; a++) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(Path.of(args[a]))),
                  StandardCharsets.UTF_8))) {
        int i = 0;
        for (String line; (line = r.readLine()) != null; i++) {
          JsonNode d = json.readTree(line);
          (i % 20 == 0 ? held : train).add(d.path("text").asText());
        }
      }
    }
    LoadedModel model = ModelLoader.load(modelDir);
    int layers = model.weights().config().layers();
    StringBuilder md = new StringBuilder("# fold: the removal choice on its own\n\n");
    md.append("`FoldGateBenchmark` on ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(", ")
        .append(BenchEnv.machine())
        .append(
            String.format(Locale.ROOT, ", load average at start %.2f. ", BenchEnv.loadAverage()))
        .append("Model `")
        .append(modelDir.getFileName())
        .append("` (")
        .append(layers)
        .append(" blocks), OpenBLAS fp32, 2 threads. Calibration and held-out text: the")
        .append(" documents of the given corpora, every 20th held out; sequences of 256 tokens,")
        .append(" batches of 4; analysis and SLEB on the first 16,384 calibration tokens; gates ")
        .append(gateSteps)
        .append(" steps (τ = 1) on shuffled calibration batches; held-out NLL on ")
        .append("the first 32,768 held-out tokens with the chosen blocks bypassed (no sharing, no")
        .append(" distillation).\n\n");
    md.append("| keep | method | removed | held-out NLL | Δ NLL | gates (ascending block) | s |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    try (WorkerPool pool = new WorkerPool(2);
        MatrixProducts products = MatrixProducts.open(MatrixBackend.OPENBLAS, pool)) {
      TokenBatches data = TokenBatches.pack(train, model.requireTokenizer(), 256);
      List<int[][]> evalBatches =
          TokenBatches.pack(held, model.requireTokenizer(), 256).head(32_768, 4);
      List<int[][]> measure = data.head(16_384, 4);
      TrainableModel teacher = new TrainableModel(model.weights(), null, products, pool);
      TrainableModel student = new TrainableModel(model.weights(), null, products, pool);
      long t0 = System.nanoTime();
      BlockAnalysis analysis = BlockAnalysis.measure(teacher, measure);
      double base = new BlockRemoval(null, List.of(), null, null).bypassNll(teacher, evalBatches);
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | original | [] | %.4f | 0 | | %.0f |%n",
              layers,
              base,
              (System.nanoTime() - t0) / 1e9));
      System.out.print(md);
      for (int keep : keeps) {
        for (String method :
            System.getProperty("methods", "bi,sleb,gates-sampled,gates-projected,gates-penalty")
                .split(",")) {
          long t = System.nanoTime();
          BlockRemoval r =
              switch (method) {
                case "bi" -> BlockRemoval.byInfluence(analysis, keep);
                case "sleb" -> BlockRemoval.greedy(teacher, measure, keep);
                default ->
                    BlockRemoval.gated(
                        student,
                        teacher,
                        data.training(gateSteps, 4, 7),
                        keep,
                        1.0,
                        BlockRemoval.GateUpdate.valueOf(
                            method.substring("gates-".length()).toUpperCase(Locale.ROOT)),
                        7,
                        FoldProgress.silent());
              };
          double seconds = (System.nanoTime() - t) / 1e9;
          double nll = r.bypassNll(teacher, evalBatches);
          String row =
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %s | %.4f | %+.4f | %s | %.0f |%n",
                  keep,
                  method,
                  r.removed(),
                  nll,
                  nll - base,
                  r.gates() == null ? "" : gates(r.gates()),
                  seconds);
          md.append(row);
          System.out.print(row);
        }
      }
    }
    md.append(
        String.format(Locale.ROOT, "%nLoad average at the end: %.2f.%n", BenchEnv.loadAverage()));
    Path out =
        System.getProperty("out") != null
            ? Path.of(System.getProperty("out"))
            : BenchEnv.result("fold-gates.md");
    Files.writeString(out, md.toString());
    System.out.println("wrote " + out);
  }

  private static String gates(double[] g) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < g.length; i++) {
      s.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", g[i]));
    }
    return s.toString();
  }
}
