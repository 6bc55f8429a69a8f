package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score documents with a proxy language model on the CPU: one line per document, "
          + "{\"id\", \"tokens\", \"mean_nll\", \"ppl\", \"ppl_word\"} (natural-log NLL per scored token, the first token "
          + "unscored; documents longer than the model's context scored in overlapping windows; ppl_word is CCNet's "
          + "per-word perplexity). Malformed input lines go to the reject file."
    })
public final class ScoreCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description =
          "Model directory in Hugging Face layout, or the bundled proxy-mini (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(
      names = "--output",
      description = "Output JSONL (.gz compresses); default: standard output.")
  Path output;

  @Option(
      names = "--threads",
      description = "CPU threads for the forward pass (default: number of cores).")
  Integer threads;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "Documents per scorer call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--reject-file",
      description = "Where malformed input lines go (default: score.rejects.jsonl).")
  Path rejectFile;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Progress bar on stderr (default: when stderr is a terminal).")
  Boolean progress;

  @Mixin PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    if (batch < 1) {
      throw new IllegalArgumentException("illegal --batch " + batch + ": must be at least 1");
    }
    LoadedModel m = ModelLoader.load(BundledModels.resolve(model));
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    boolean bar = progress != null ? progress : System.console() != null;
    long docs = 0;
    long tokens = 0;
    long malformed = 0;
    long t0 = System.nanoTime();
    Path rejects = rejectFile != null ? rejectFile : Path.of("score.rejects.jsonl");
    OutputStream raw =
        output == null
            ? new PrintStream(System.out, false, StandardCharsets.UTF_8)
            : Files.newOutputStream(output);
    if (output != null && output.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPOutputStream(raw, 1 << 16);
    }
    try (ScoringEngine engine =
            ScoringEngines.open(
                m.weights(),
                EngineOptions.defaults().withThreads(t).withPrecision(precision.value()));
        DocumentReader reader = new DocumentReader(inputs);
        BufferedWriter out =
            new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
        JsonlWriter rej = JsonlWriter.rejects(rejects);
        ProgressBar pb =
            bar
                ? new ProgressBarBuilder()
                    .setTaskName("score")
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" docs", 1)
                    .showSpeed()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build()
                : null) {
      DocumentScorer scorer = new DocumentScorer(engine, m.requireTokenizer());
      List<InputEntry> pending = new ArrayList<>(batch);
      while (reader.hasNext() || !pending.isEmpty()) {
        InputEntry e = reader.hasNext() ? reader.next() : null;
        if (e == null) {
          // end of input: score what is left
        } else if (!e.ok()) {
          malformed++;
          rej.reject(e);
          continue;
        } else {
          pending.add(e);
        }
        if (pending.size() == batch || e == null || !reader.hasNext()) {
          List<DocumentScore> scores =
              scorer.scoreAll(pending.stream().map(p -> p.document().text()).toList());
          for (int i = 0; i < scores.size(); i++) {
            DocumentScore s = scores.get(i);
            ObjectNode o = DocumentJson.mapper().createObjectNode();
            o.put("id", pending.get(i).document().id());
            o.put("tokens", s.tokens());
            Annotations.putFinite(o, "mean_nll", s.meanNll());
            Annotations.putFinite(o, "ppl", s.perplexity());
            Annotations.putFinite(o, "ppl_word", s.perWordPerplexity());
            out.write(o.toString());
            out.newLine();
            tokens += s.tokens();
          }
          docs += scores.size();
          if (pb != null) {
            pb.stepBy(scores.size());
            double secs = (System.nanoTime() - t0) / 1e9;
            pb.setExtraMessage(String.format(" %,.0f tokens/s", tokens / secs));
          }
          pending.clear();
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.err.printf(
        "scored %,d documents (%,d tokens) with %s in %.1f s: %,.0f docs/s, %,.0f tokens/s; %,d malformed lines%n",
        docs, tokens, model, secs, docs / secs, tokens / secs, malformed);
    if (malformed > 0) {
      System.err.println("malformed lines are listed in " + rejects);
    }
    return 0;
  }
}
