package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.fold.BlockRemoval;
import dev.winnow.kernels.fold.Fidelity;
import dev.winnow.kernels.fold.FoldMethod;
import dev.winnow.kernels.fold.FoldOutput;
import dev.winnow.kernels.fold.FoldProgress;
import dev.winnow.kernels.fold.FoldResult;
import dev.winnow.kernels.fold.FoldSettings;
import dev.winnow.kernels.fold.Folder;
import dev.winnow.kernels.fold.TokenBatches;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.safetensors.SafetensorsCheckpoint;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.tokenizer.Tokenizer;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.model.ProxyLm;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "fold",
    mixinStandardHelpOptions = true,
    description = {
      "FoldGPT depth compression: analyses block redundancy, removes blocks (gates, or the bi /"
          + " sleb baselines), shares weights in groups of consecutive kept blocks, distils the"
          + " result from the original, and writes it in Hugging Face layout with fold.json, a"
          + " fidelity report (fold-report.md) and the block-similarity heatmap. Held-out"
          + " documents: --eval, or the calibration documents with crc32(id) % 20 == 0, which"
          + " training never sees."
    })
public final class FoldCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      description = "Model directory (Hugging Face layout).")
  String model;

  @Option(names = "--output", required = true, description = "Directory for the folded model.")
  Path output;

  @Option(
      names = "--calibration",
      required = true,
      arity = "1..*",
      description =
          "Calibration documents (.jsonl, .jsonl.gz with text, id, source) or directories.")
  List<Path> calibration;

  @Option(
      names = "--eval",
      arity = "1..*",
      description =
          "Held-out documents for the report (default: a split of the calibration input).")
  List<Path> eval;

  @Option(names = "--keep-blocks", required = true, description = "Blocks kept.")
  int keepBlocks;

  @Option(
      names = "--groups",
      defaultValue = "0",
      description =
          "Groups of --group-size consecutive kept blocks sharing one set of weights (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(
      names = "--group-size",
      defaultValue = "2",
      description = "Blocks per shared group (default: ${DEFAULT-VALUE}).")
  int groupSize;

  @Option(
      names = "--method",
      defaultValue = "gates",
      description = "gates (FoldGPT), bi (ShortGPT) or sleb (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--train-tokens",
      defaultValue = "2000000",
      description = "Distillation tokens; 0: none (default: ${DEFAULT-VALUE}).")
  long trainTokens;

  @Option(
      names = "--gate-tokens",
      defaultValue = "131072",
      description = "Tokens for training the gates (default: ${DEFAULT-VALUE}).")
  long gateTokens;

  @Option(
      names = "--analysis-tokens",
      defaultValue = "8192",
      description =
          "Calibration tokens of the analysis, SLEB and the sharing choice (default: ${DEFAULT-VALUE}).")
  int analysisTokens;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-ppl-increase",
      description = "Fail (no model written) if held-out perplexity rises by more than P percent.")
  Double maxPplIncrease;

  @Option(
      names = "--compare",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Also fold with the other two methods at the same depth and report them (default: on).")
  boolean compare;

  @Option(
      names = "--compare-tokens",
      description = "Distillation tokens of each comparison run (default: --train-tokens).")
  Long compareTokens;

  @Option(
      names = "--eval-docs",
      defaultValue = "60",
      description = "Held-out documents per input file in the report (default: ${DEFAULT-VALUE}).")
  int evalDocs;

  @Option(
      names = "--eval-max-tokens",
      defaultValue = "512",
      description = "Tokens scored per held-out document (default: ${DEFAULT-VALUE}).")
  int evalMaxTokens;

  @Option(names = "--threads", description = "CPU threads (default: number of cores).")
  Integer threads;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Progress bar on stderr (default: when stderr is a terminal).")
  Boolean progress;

  @Mixin PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    FoldMethod m = FoldMethod.parse(method);
    FoldSettings settings =
        FoldSettings.defaults(keepBlocks, groups)
            .withGroupSize(groupSize)
            .withMethod(m)
            .withTrainTokens(trainTokens)
            .withSeed(seed)
            .withBudgets(gateTokens, analysisTokens, 256, 4);
    Path dir = BundledModels.resolve(model);
    LoadedModel source = ModelLoader.load(dir);
    Tokenizer tokenizer = source.requireTokenizer();
    List<Fidelity.Document> train = new ArrayList<>();
    List<Fidelity.Document> held = new ArrayList<>();
    long malformed = readDocuments(calibration, train, eval == null ? held : null);
    if (eval != null) {
      malformed += readDocuments(eval, held, null);
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException(
          calibration + ": no calibration documents (" + malformed + " malformed lines)");
    }
    List<Fidelity.Document> evalSet = capPerSource(held, evalDocs);
    if (evalSet.size() < 10) {
      throw new IllegalArgumentException(
          "only "
              + evalSet.size()
              + " held-out documents: give --eval FILE or more calibration documents "
              + "(the default split holds out crc32(id) % 20 == 0)");
    }
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    boolean bar = progress != null ? progress : System.console() != null;
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    EngineOptions fp32 =
        EngineOptions.defaults().withThreads(t).withPrecision(EngineOptions.Precision.FP32);
    EngineOptions scoring =
        EngineOptions.defaults().withThreads(t).withPrecision(precision.value());
    var backend = ScoringEngines.choose(fp32).backend();
    err.println(
        "fold: "
            + dir
            + " ("
            + source.config().layers()
            + " blocks) -> "
            + keepBlocks
            + " blocks, "
            + groups
            + " shared group(s) of "
            + groupSize
            + ", method "
            + m.id()
            + "; training on "
            + backend
            + " fp32, "
            + t
            + " threads; "
            + train.size()
            + " calibration and "
            + evalSet.size()
            + " held-out documents");
    ObjectNode manifest;
    Map<FoldMethod, Fidelity> comparison = new EnumMap<>(FoldMethod.class);
    Map<FoldMethod, FoldResult> comparisonRuns = new EnumMap<>(FoldMethod.class);
    FoldResult result;
    Fidelity fidelity;
    Map<String, Double> lingua;
    try (WorkerPool pool = new WorkerPool(t);
        MatrixProducts products = MatrixProducts.open(backend, pool)) {
      TokenBatches data =
          TokenBatches.pack(train.stream().map(Fidelity.Document::text).toList(), tokenizer, 256);
      try (StepBar steps = new StepBar(err, bar)) {
        result = Folder.fold(source.weights(), data, null, null, settings, products, pool, steps);
      }
      fidelity =
          Fidelity.measure(
              source.weights(),
              result.weights(),
              tokenizer,
              evalSet,
              evalMaxTokens,
              scoring,
              16,
              products,
              pool);
      err.println(FoldReport.summaryLine(m, fidelity));
      if (compare) {
        long budget = compareTokens != null ? compareTokens : trainTokens;
        for (FoldMethod other : FoldMethod.values()) {
          if (other == m && budget == trainTokens) {
            continue;
          }
          BlockRemoval reuse = other == m ? result.removal() : null;
          try (StepBar steps = new StepBar(err, bar)) {
            FoldResult r =
                Folder.fold(
                    source.weights(),
                    data,
                    result.analysis(),
                    reuse,
                    settings.withMethod(other).withTrainTokens(budget),
                    products,
                    pool,
                    steps);
            comparisonRuns.put(other, r);
            Fidelity f =
                Fidelity.measure(
                    source.weights(),
                    r.weights(),
                    tokenizer,
                    evalSet,
                    evalMaxTokens,
                    scoring,
                    16,
                    products,
                    pool);
            comparison.put(other, f);
            err.println("compare: " + FoldReport.summaryLine(other, f));
          }
        }
      }
      lingua = linguaOverlap(source, result.weights(), tokenizer, held, scoring);
    }
    manifest = FoldOutput.manifest(result);
    ObjectNode src = manifest.putObject("source");
    src.put("model", dir.toAbsolutePath().normalize().getFileName().toString());
    List<Path> modelFiles = new ArrayList<>();
    modelFiles.add(dir.resolve(ModelLoader.CONFIG_FILE));
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
      modelFiles.addAll(c.files());
    }
    src.put("sha256", FoldOutput.sha256(modelFiles));
    ArrayNode cal = manifest.putArray("calibration");
    for (Path p : calibration) {
      if (Files.isRegularFile(p)) {
        cal.addObject()
            .put("file", p.getFileName().toString())
            .put("sha256", FoldOutput.sha256(List.of(p)));
      } else {
        cal.addObject().put("file", p.getFileName().toString());
      }
    }
    manifest.put("calibration_documents", train.size());
    manifest.put(
        "held_out",
        eval != null ? "--eval files" : "calibration documents with crc32(id) % 20 == 0");
    manifest.set("fidelity", FoldReport.fidelityJson(fidelity, lingua));
    ObjectNode cmp = manifest.putObject("comparison");
    for (Map.Entry<FoldMethod, Fidelity> e : comparison.entrySet()) {
      ObjectNode c = FoldReport.fidelityJson(e.getValue(), null);
      FoldResult r = comparisonRuns.get(e.getKey());
      var removed = c.putArray("removed_blocks");
      r.removal().removed().forEach(removed::add);
      c.put("train_tokens", r.settings().trainTokens());
      cmp.set(e.getKey().id(), c);
    }
    Files.createDirectories(output);
    boolean failed = maxPplIncrease != null && fidelity.perplexityIncrease() * 100 > maxPplIncrease;
    if (!failed) {
      FoldOutput.writeModel(output, dir, result.weights());
    }
    FoldOutput.writeManifest(output, manifest);
    FoldReport.writeHeatmap(output.resolve("fold-similarity.png"), result.analysis());
    Files.writeString(
        output.resolve("fold-report.md"),
        FoldReport.markdown(dir, result, fidelity, lingua, comparison, comparisonRuns),
        StandardCharsets.UTF_8);
    if (failed) {
      err.printf(
          Locale.ROOT,
          "fold: held-out perplexity rose by %.1f%% (%.2f -> %.2f), past --max-ppl-increase %.1f%%;"
              + " no model written to %s (fold.json and fold-report.md are there). Keep more blocks,"
              + " fewer shared groups, or train on more tokens.%n",
          fidelity.perplexityIncrease() * 100,
          fidelity.perplexityBefore(),
          fidelity.perplexityAfter(),
          maxPplIncrease,
          output);
      return 1;
    }
    err.println("fold: wrote " + output + " (" + result.weights().config().layers() + " blocks)");
    return 0;
  }

  /**
   * Reads documents, file by file; with {@code heldOut}, those with crc32(id) % 20 == 0 go there.
   */
  private static long readDocuments(
      List<Path> files, List<Fidelity.Document> out, List<Fidelity.Document> heldOut)
      throws Exception {
    long malformed = 0;
    for (Path file : files) {
      malformed += readFile(file, out, heldOut);
    }
    return malformed;
  }

  /**
   * One input; each document's report group is its file's name without extensions ({@code
   * news.jsonl.gz}: {@code news}), the corpus it came from.
   */
  private static long readFile(
      Path file, List<Fidelity.Document> out, List<Fidelity.Document> heldOut) throws Exception {
    String group = file.getFileName().toString();
    int dot = group.indexOf('.');
    group = dot > 0 ? group.substring(0, dot) : group;
    long malformed = 0;
    try (DocumentReader r = new DocumentReader(List.of(file))) {
      while (r.hasNext()) {
        InputEntry e = r.next();
        if (!e.ok()) {
          malformed++;
          continue;
        }
        var d = e.document();
        var doc = new Fidelity.Document(d.id(), group, d.text());
        if (heldOut != null && crc32(d.id()) % 20 == 0) {
          heldOut.add(doc);
        } else {
          out.add(doc);
        }
      }
    }
    return malformed;
  }

  static long crc32(String id) {
    CRC32 c = new CRC32();
    c.update(id.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  private static List<Fidelity.Document> capPerSource(List<Fidelity.Document> docs, int cap) {
    Map<String, Integer> seen = new HashMap<>();
    List<Fidelity.Document> out = new ArrayList<>();
    for (Fidelity.Document d : docs) {
      if (seen.merge(d.source(), 1, Integer::sum) <= cap) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * LLMLingua (the product's default mode) at rate 0.5 on the four longest held-out documents (each
   * cut to 3,000 characters): the share of the original's kept words that the folded model also
   * keeps (multiset overlap over the original's kept words), per document and the mean.
   */
  private static Map<String, Double> linguaOverlap(
      LoadedModel source,
      ModelWeights folded,
      Tokenizer tokenizer,
      List<Fidelity.Document> held,
      EngineOptions options)
      throws Exception {
    List<Fidelity.Document> longest =
        held.stream()
            .sorted(Comparator.comparingInt((Fidelity.Document d) -> -d.text().length()))
            .limit(4)
            .toList();
    Map<String, Double> out = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    double sum = 0;
    try (ScoringEngine e0 = ScoringEngines.open(source.weights(), options, "fold report");
        ScoringEngine e1 = ScoringEngines.open(folded, options, "fold report")) {
      ProxyLm original = new ProxyLm(e0, tokenizer, false);
      ProxyLm shallow = new ProxyLm(e1, tokenizer, false);
      for (Fidelity.Document d : longest) {
        String text = d.text().length() > 3000 ? d.text().substring(0, 3000) : d.text();
        ObjectNode req = json.createObjectNode();
        req.putArray("context").add(text);
        req.put("rate", 0.5);
        String body = json.writeValueAsString(req);
        String a =
            new PromptCompressor(original, dev.winnow.prompt.CompressionMode.WORDS)
                .compress(PromptCompressor.parse(body))
                .compressedPrompt();
        String b =
            new PromptCompressor(shallow, dev.winnow.prompt.CompressionMode.WORDS)
                .compress(PromptCompressor.parse(body))
                .compressedPrompt();
        double o = wordOverlap(a, b);
        out.put(d.id(), o);
        sum += o;
      }
    }
    out.put("mean", longest.isEmpty() ? Double.NaN : sum / longest.size());
    return out;
  }

  static double wordOverlap(String original, String folded) {
    Map<String, Integer> counts = new HashMap<>();
    for (String w : folded.split("\\s+")) {
      if (!w.isEmpty()) {
        counts.merge(w, 1, Integer::sum);
      }
    }
    int total = 0;
    int both = 0;
    for (String w : original.split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      total++;
      Integer c = counts.get(w);
      if (c != null && c > 0) {
        both++;
        counts.put(w, c - 1);
      }
    }
    return total == 0 ? Double.NaN : (double) both / total;
  }

  /** Steps of a phase as a bar on stderr with loss and tokens/s; finished parts as lines. */
  static final class StepBar implements FoldProgress, AutoCloseable {
    private final PrintStream err;
    private final boolean bar;
    private me.tongfei.progressbar.ProgressBar current;
    private String phase;
    private long lastLine;

    StepBar(PrintStream err, boolean bar) {
      this.err = err;
      this.bar = bar;
    }

    @Override
    public void step(String phase, int step, int steps, double loss, double tokensPerSecond) {
      String extra = String.format(Locale.ROOT, "loss %.4f, %.0f tok/s", loss, tokensPerSecond);
      if (bar) {
        if (!phase.equals(this.phase)) {
          close();
          this.phase = phase;
          current =
              new me.tongfei.progressbar.ProgressBarBuilder()
                  .setTaskName(phase)
                  .setInitialMax(steps)
                  .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII)
                  .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                  .build();
        }
        current.stepTo(step);
        current.setExtraMessage(extra);
      } else {
        long now = System.nanoTime();
        if (step == steps || step == 1 || now - lastLine > 30_000_000_000L) {
          lastLine = now;
          err.println(phase + " " + step + "/" + steps + ": " + extra);
        }
      }
    }

    @Override
    public void message(String line) {
      close();
      err.println(line);
    }

    @Override
    public void close() {
      if (current != null) {
        current.close();
        current = null;
        phase = null;
      }
    }
  }
}
