package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.selection.dsir.DsirConfig;
import dev.winnow.selection.dsir.DsirModel;
import dev.winnow.selection.dsir.NgramDistribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code winnow dsir fit|score}: DSIR importance weights on files. */
@Command(
    name = "dsir",
    mixinStandardHelpOptions = true,
    description =
        "DSIR importance weights (Xie et al. 2023): hashed unigram+bigram features, a target and a raw "
            + "distribution, a log-importance weight per document.",
    subcommands = {DsirCommand.Fit.class, DsirCommand.Score.class})
public final class DsirCommand implements Runnable {
  /** The meta field the weight is written to. */
  public static final String WEIGHT_FIELD = "dsir_log_weight";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "fit",
      mixinStandardHelpOptions = true,
      description =
          "Fit the target distribution (and the raw one, when --raw is given) and save the model as JSON.")
  static final class Fit implements Callable<Integer> {
    @Option(
        names = "--target",
        required = true,
        arity = "1..*",
        description = "Target corpus: .jsonl, .jsonl.gz or directories.")
    List<Path> target;

    @Option(
        names = "--raw",
        arity = "1..*",
        description =
            "Raw data to resample from; without it, fit the raw "
                + "distribution at scoring time (dsir score --fit-raw).")
    List<Path> raw;

    @Option(names = "--output", required = true, description = "Model file (JSON).")
    Path output;

    @Option(
        names = "--buckets",
        defaultValue = "10000",
        description = "Hash buckets (default: ${DEFAULT-VALUE}).")
    int buckets;

    @Option(
        names = "--ngrams",
        defaultValue = "2",
        description = "1 = unigrams, 2 = unigrams and bigrams (default: ${DEFAULT-VALUE}).")
    int ngrams;

    @Option(
        names = "--smoothing",
        defaultValue = "1.0",
        description = "Additive smoothing α (default: ${DEFAULT-VALUE}).")
    double smoothing;

    @Option(
        names = "--hash-seed",
        defaultValue = "0",
        description = "Seed of the feature hash (default: ${DEFAULT-VALUE}).")
    long hashSeed;

    @Option(
        names = "--reject-file",
        description = "Where malformed input lines go (default: <output>.rejects.jsonl).")
    Path rejectFile;

    @Override
    public Integer call() throws Exception {
      DsirConfig c = new DsirConfig();
      c.buckets = buckets;
      c.maxNgram = ngrams;
      c.smoothing = smoothing;
      c.hashSeed = hashSeed;
      c.validate("dsir");
      Path rejects = rejectFile != null ? rejectFile : Path.of(output + ".rejects.jsonl");
      long t0 = System.nanoTime();
      try (JsonlWriter rej = JsonlWriter.rejects(rejects)) {
        NgramDistribution t = fitFrom(c, target, rej);
        NgramDistribution r = raw == null ? null : fitFrom(c, raw, rej);
        DsirModel m = new DsirModel(c, t, r);
        m.save(output);
        System.err.printf(
            "fitted DSIR model: target %,d documents (%,d features)%s in %.1f s -> %s%n",
            t.documents(),
            t.total(),
            r == null
                ? ", no raw distribution"
                : String.format(", raw %,d documents (%,d features)", r.documents(), r.total()),
            (System.nanoTime() - t0) / 1e9,
            output);
      }
      return 0;
    }
  }

  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description =
          "Write each document with meta." + WEIGHT_FIELD + " = Σ counts·(ln p_target − ln p_raw).")
  static final class Score implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file written by dsir fit.")
    Path model;

    @Option(
        names = "--input",
        required = true,
        arity = "1..*",
        description = "Input files (.jsonl, .jsonl.gz) or directories.")
    List<Path> inputs;

    @Option(names = "--output", required = true, description = "Output JSONL (.gz compresses).")
    Path output;

    @Option(
        names = "--fit-raw",
        description =
            "Fit the raw distribution from the input first (a second pass over "
                + "it); required when the model has none, replaces the model's otherwise.")
    boolean fitRaw;

    @Option(
        names = "--reject-file",
        description = "Where malformed input lines go (default: <output>.rejects.jsonl).")
    Path rejectFile;

    @Override
    public Integer call() throws Exception {
      DsirModel m = DsirModel.load(model);
      Path rejects = rejectFile != null ? rejectFile : Path.of(output + ".rejects.jsonl");
      long t0 = System.nanoTime();
      long docs = 0;
      try (JsonlWriter rej = JsonlWriter.rejects(rejects)) {
        if (fitRaw) {
          m = m.withRaw(fitFrom(m.config(), inputs, null));
        } else if (!m.hasRaw()) {
          throw new IllegalArgumentException(
              model
                  + " has no raw distribution: pass --fit-raw to fit it from the input, "
                  + "or refit with dsir fit --raw");
        }
        try (DocumentReader reader = new DocumentReader(inputs);
            JsonlWriter out = JsonlWriter.create(output)) {
          while (reader.hasNext()) {
            InputEntry e = reader.next();
            if (!e.ok()) {
              rej.reject(e);
              continue;
            }
            ObjectNode o = DocumentJson.toTree(e.document());
            ((ObjectNode) o.get("meta")).put(WEIGHT_FIELD, m.logWeight(e.document().text()));
            out.write(o);
            docs++;
          }
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.err.printf(
          "scored %,d documents in %.1f s (%,.0f docs/s) -> %s%n", docs, secs, docs / secs, output);
      return 0;
    }
  }

  /**
   * Fits a distribution from the documents of files; malformed lines go to {@code rejects} when not
   * null.
   */
  static NgramDistribution fitFrom(DsirConfig c, List<Path> files, JsonlWriter rejects)
      throws IOException {
    try (DocumentReader reader = new DocumentReader(files)) {
      Iterable<String> texts = () -> new Texts(reader, rejects);
      return NgramDistribution.fit(c, texts);
    }
  }

  /** The texts of the good entries, writing the others to the reject file. Iterable once. */
  private static final class Texts implements Iterator<String> {
    private final DocumentReader reader;
    private final JsonlWriter rejects;
    private InputEntry next;

    Texts(DocumentReader reader, JsonlWriter rejects) {
      this.reader = reader;
      this.rejects = rejects;
    }

    @Override
    public boolean hasNext() {
      while (next == null && reader.hasNext()) {
        InputEntry e = reader.next();
        if (e.ok()) {
          next = e;
        } else if (rejects != null) {
          rejects.reject(e);
        }
      }
      return next != null;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String t = next.document().text();
      next = null;
      return t;
    }
  }
}
