package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.selection.budget.BudgetConfig;
import dev.winnow.selection.budget.BudgetSelector;
import dev.winnow.selection.budget.Candidate;
import dev.winnow.selection.budget.Decision;
import dev.winnow.selection.budget.StreamingBudgetSelector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code winnow select}: budgeted selection on files by a score carried in each document's meta.
 * Bounded mode reads the input twice (candidates first, then the documents to write), so only the
 * candidates are held in memory; streaming mode decides in one pass with reservoir thresholds.
 */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    description = {
      "Keep the best documents under a document or token budget by a score in meta (e.g. "
          + DsirCommand.WEIGHT_FIELD
          + " from dsir score), or sample by DSIR log-weights without replacement "
          + "(Gumbel top-k), with per-source mixture weights. Kept documents go to --output unchanged; every dropped "
          + "one goes to --rejected with rejection {rule: \"below budget\", value: its score, threshold}. Documents "
          + "without the score, and malformed lines, go to the reject file."
    })
public final class SelectCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(
      names = "--output",
      required = true,
      description = "Kept documents (JSONL, .gz compresses).")
  Path output;

  @Option(
      names = "--rejected",
      description = "Documents dropped for the budget (default: <output>.rejected.jsonl).")
  Path rejected;

  @Option(
      names = "--reject-file",
      description =
          "Malformed lines and documents without the score (default: <output>.rejects.jsonl).")
  Path rejectFile;

  @Option(
      names = "--score-field",
      required = true,
      description = "The meta field to rank by, e.g. " + DsirCommand.WEIGHT_FIELD + " or ppl.")
  String scoreField;

  @Option(names = "--lower-is-better", description = "Rank by the negated score (for perplexity).")
  boolean lowerIsBetter;

  static final class Budget {
    @Option(names = "--budget-docs", description = "Keep at most this many documents.")
    Long docs;

    @Option(names = "--budget-tokens", description = "Keep at most this many tokens.")
    Long tokens;

    @Option(
        names = "--fraction",
        description =
            "Keep this fraction (0, 1] of the input's documents, or tokens with --unit tokens.")
    Double fraction;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Budget budget;

  @Option(
      names = "--unit",
      defaultValue = "documents",
      description = "Unit of --fraction: documents or tokens (default: ${DEFAULT-VALUE}).")
  String unit;

  @Option(
      names = "--method",
      defaultValue = "top-k",
      description =
          "top-k or gumbel (sample ∝ exp(score/temperature) without replacement) (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "Gumbel temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the Gumbel noise and the reservoir (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--source-weight",
      description =
          "Mixture weight of a source, source=weight (repeatable); "
              + "unlisted sources get no share.")
  Map<String, Double> sourceWeights = new LinkedHashMap<>();

  @Option(
      names = "--streaming",
      description =
          "One pass with a reservoir-estimated threshold (needs --fraction; "
              + "--budget-* is then not allowed).")
  boolean streaming;

  @Option(
      names = "--reservoir",
      defaultValue = "10000",
      description = "Streaming: reservoir size (default: ${DEFAULT-VALUE}).")
  int reservoir;

  @Option(
      names = "--tokens-field",
      defaultValue = "tokens",
      description =
          "Meta field with the token count; "
              + "documents without it are tokenized with --model (default: ${DEFAULT-VALUE}).")
  String tokensField;

  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description = "Tokenizer for token budgets (default: ${DEFAULT-VALUE}).")
  String model;

  @Override
  public Integer call() throws Exception {
    BudgetConfig c = config();
    Path rej = rejected != null ? rejected : Path.of(output + ".rejected.jsonl");
    Path bad = rejectFile != null ? rejectFile : Path.of(output + ".rejects.jsonl");
    MetaScores.TokenCounter counter = new MetaScores.TokenCounter(tokensField, model);
    long t0 = System.nanoTime();
    long[] counts = new long[3]; // kept, dropped, unscorable
    try (JsonlWriter kept = JsonlWriter.create(output);
        JsonlWriter dropped = JsonlWriter.create(rej);
        JsonlWriter rejects = JsonlWriter.rejects(bad)) {
      if (streaming) {
        StreamingBudgetSelector s = new StreamingBudgetSelector(c);
        // documents held back by the selector's warm-up, by candidate identity (ids may repeat)
        Map<Candidate, Document> held = new IdentityHashMap<>();
        try (DocumentReader reader = new DocumentReader(inputs)) {
          while (reader.hasNext()) {
            InputEntry e = reader.next();
            Candidate cand = candidate(e, rejects, counter, counts);
            if (cand != null) {
              held.put(cand, e.document());
              write(s.offer(cand), held, kept, dropped, counts);
            }
          }
        }
        write(s.finish(), held, kept, dropped, counts);
      } else {
        List<Candidate> cands = new ArrayList<>();
        try (DocumentReader reader = new DocumentReader(inputs)) {
          while (reader.hasNext()) {
            Candidate cand = candidate(reader.next(), rejects, counter, counts);
            if (cand != null) {
              cands.add(cand);
            }
          }
        }
        List<Decision> decisions = new BudgetSelector(c).select(cands);
        int i = 0;
        try (DocumentReader reader = new DocumentReader(inputs)) {
          while (reader.hasNext()) {
            InputEntry e = reader.next();
            if (e.ok() && MetaScores.number(e.document(), scoreField) != null) {
              Decision d = decisions.get(i++);
              writeOne(d, e.document(), kept, dropped, counts);
            }
          }
        }
        if (i != decisions.size()) {
          throw new IOException(
              "the input changed between the two passes: "
                  + decisions.size()
                  + " candidates, "
                  + i
                  + " on re-reading");
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.err.printf(
        "select: kept %,d, dropped %,d below budget, %,d without %s or malformed, in %.1f s -> %s, %s%n",
        counts[0], counts[1], counts[2], scoreField, secs, output, rej);
    return 0;
  }

  private Candidate candidate(
      InputEntry e, JsonlWriter rejects, MetaScores.TokenCounter counter, long[] counts)
      throws IOException {
    if (!e.ok()) {
      rejects.reject(e);
      counts[2]++;
      return null;
    }
    Double score = MetaScores.number(e.document(), scoreField);
    if (score == null || score.isNaN()) {
      rejects.reject(
          e.location(), "no numeric meta." + scoreField + " in document " + e.document().id());
      counts[2]++;
      return null;
    }
    long tokens = unit().equals(BudgetConfig.Unit.TOKENS) ? counter.tokens(e.document()) : 1;
    return new Candidate(
        e.document().id(), e.document().source(), lowerIsBetter ? -score : score, tokens);
  }

  private void write(
      List<Decision> ds,
      Map<Candidate, Document> held,
      JsonlWriter kept,
      JsonlWriter dropped,
      long[] counts)
      throws IOException {
    for (Decision d : ds) {
      writeOne(d, held.remove(d.candidate()), kept, dropped, counts);
    }
  }

  private void writeOne(
      Decision d, Document doc, JsonlWriter kept, JsonlWriter dropped, long[] counts)
      throws IOException {
    ObjectNode o = DocumentJson.toTree(doc);
    if (d.kept()) {
      kept.write(o);
      counts[0]++;
      return;
    }
    ObjectNode r = o.putObject("rejection");
    r.put("stage", "select");
    r.put("rule", Decision.BELOW_BUDGET);
    r.put("reason", d.reason());
    r.put("score_field", scoreField);
    r.put("value", MetaScores.number(doc, scoreField));
    r.put("key", d.key());
    if (Double.isFinite(d.threshold())) {
      r.put("threshold", d.threshold());
    } else {
      r.putNull("threshold");
    }
    dropped.write(o);
    counts[1]++;
  }

  private BudgetConfig.Unit unit() {
    if (budget.tokens != null) {
      return BudgetConfig.Unit.TOKENS;
    }
    if (budget.docs != null) {
      return BudgetConfig.Unit.DOCUMENTS;
    }
    return switch (unit) {
      case "documents", "docs" -> BudgetConfig.Unit.DOCUMENTS;
      case "tokens" -> BudgetConfig.Unit.TOKENS;
      default ->
          throw new IllegalArgumentException(
              "illegal --unit " + unit + ": must be documents or tokens");
    };
  }

  BudgetConfig config() {
    BudgetConfig c = new BudgetConfig();
    c.unit = unit();
    if (budget.docs != null) {
      c.budget = budget.docs;
    } else if (budget.tokens != null) {
      c.budget = budget.tokens;
    } else {
      c.fraction = budget.fraction;
    }
    c.method =
        switch (method) {
          case "top-k" -> BudgetConfig.Method.TOP_K;
          case "gumbel" -> BudgetConfig.Method.GUMBEL_TOP_K;
          default ->
              throw new IllegalArgumentException(
                  "illegal --method " + method + ": must be top-k or gumbel");
        };
    c.temperature = temperature;
    c.seed = seed;
    c.sourceWeights = sourceWeights.isEmpty() ? null : sourceWeights;
    c.reservoirSize = reservoir;
    c.warmup = Math.min(c.warmup, reservoir);
    if (streaming && budget.fraction == null) {
      throw new IllegalArgumentException(
          "--streaming needs --fraction: a stream's size is not known in advance");
    }
    c.validate("select");
    return c;
  }
}
