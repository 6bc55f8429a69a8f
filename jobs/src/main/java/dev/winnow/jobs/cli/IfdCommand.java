package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
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
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code winnow ifd}: instruction-following difficulty of (prompt, response) documents. The pair is
 * read from {@code meta.prompt} and {@code meta.response}; the document is written with {@code
 * meta.ifd}, {@code meta.ifd_conditional_ppl} and {@code meta.ifd_response_ppl}.
 */
@Command(
    name = "ifd",
    mixinStandardHelpOptions = true,
    description = {
      "Instruction-following difficulty IFD = PPL(response | prompt) / PPL(response) with a proxy model "
          + "(Superfiltering). Reads meta.prompt and meta.response; writes meta.ifd, meta.ifd_conditional_ppl, "
          + "meta.ifd_response_ppl (null when the response has fewer than 2 tokens). Documents without both fields, "
          + "and malformed lines, go to the reject file."
    })
public final class IfdCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description = "Proxy model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output", required = true, description = "Output JSONL (.gz compresses).")
  Path output;

  @Option(names = "--threads", description = "CPU threads (default: number of cores).")
  Integer threads;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Pairs per scorer call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--reject-file", description = "Default: <output>.rejects.jsonl.")
  Path rejectFile;

  @Mixin PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    if (batch < 1) {
      throw new IllegalArgumentException("illegal --batch " + batch + ": must be at least 1");
    }
    LoadedModel m = ModelLoader.load(BundledModels.resolve(model));
    long docs = 0;
    long t0 = System.nanoTime();
    try (ScoringEngine engine =
            ScoringEngines.open(
                m.weights(),
                EngineOptions.defaults()
                    .withPrecision(precision.value())
                    .withThreads(
                        threads != null ? threads : Runtime.getRuntime().availableProcessors()));
        DocumentReader reader = new DocumentReader(inputs);
        JsonlWriter out = JsonlWriter.create(output);
        JsonlWriter rej =
            JsonlWriter.rejects(
                rejectFile != null ? rejectFile : Path.of(output + ".rejects.jsonl"))) {
      InstructionDifficultyScorer scorer =
          new InstructionDifficultyScorer(engine, m.requireTokenizer());
      List<Document> pending = new ArrayList<>();
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (!e.ok()) {
          rej.reject(e);
          continue;
        }
        if (!(e.document().meta().get("prompt") instanceof String)
            || !(e.document().meta().get("response") instanceof String)) {
          rej.reject(
              e.location(),
              "document " + e.document().id() + " has no string meta.prompt and meta.response");
          continue;
        }
        pending.add(e.document());
        if (pending.size() == batch) {
          docs += flush(scorer, pending, out);
        }
      }
      docs += flush(scorer, pending, out);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.err.printf(
        "ifd: scored %,d pairs in %.1f s (%,.1f pairs/s) -> %s%n", docs, secs, docs / secs, output);
    return 0;
  }

  private static int flush(
      InstructionDifficultyScorer scorer, List<Document> pending, JsonlWriter out)
      throws Exception {
    List<InstructionDifficultyScorer.Pair> pairs =
        pending.stream()
            .map(
                d ->
                    new InstructionDifficultyScorer.Pair(
                        (String) d.meta().get("prompt"), (String) d.meta().get("response")))
            .toList();
    List<IfdScore> scores = scorer.scoreAll(pairs);
    for (int i = 0; i < scores.size(); i++) {
      ObjectNode o = DocumentJson.toTree(pending.get(i));
      ObjectNode meta = (ObjectNode) o.get("meta");
      Annotations.putFinite(meta, "ifd", scores.get(i).ifd());
      Annotations.putFinite(meta, "ifd_conditional_ppl", scores.get(i).conditionalPerplexity());
      Annotations.putFinite(meta, "ifd_response_ppl", scores.get(i).unconditionalPerplexity());
      out.write(o);
    }
    int n = pending.size();
    pending.clear();
    return n;
  }
}
