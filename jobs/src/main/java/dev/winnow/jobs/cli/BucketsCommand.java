package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.selection.ccnet.PerplexityBuckets;
import dev.winnow.selection.ccnet.PerplexityBucketsConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code winnow buckets}: CCNet head / middle / tail by a perplexity carried in meta. Cut points
 * are given, or learned from a uniform reservoir sample of the input (first pass), then every
 * document is written with {@code meta.ccnet_bucket} (second pass).
 */
@Command(
    name = "buckets",
    mixinStandardHelpOptions = true,
    description = {
      "CCNet perplexity buckets: head (lowest perplexity), middle, tail, by meta.FIELD, with cut points "
          + "given (--head-cut/--tail-cut) or learned at percentiles (default 30% / 60%) from a sample of the input. "
          + "Writes meta.ccnet_bucket; documents without the field get \"tail\"."
    })
public final class BucketsCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output", required = true, description = "Output JSONL (.gz compresses).")
  Path output;

  @Option(
      names = "--field",
      defaultValue = "ppl_word",
      description = "Meta field with the perplexity (default: ${DEFAULT-VALUE}).")
  String field;

  @Option(
      names = "--head-percentile",
      defaultValue = "0.30",
      description = "Default: ${DEFAULT-VALUE}.")
  double headPercentile;

  @Option(
      names = "--tail-percentile",
      defaultValue = "0.60",
      description = "Default: ${DEFAULT-VALUE}.")
  double tailPercentile;

  @Option(names = "--head-cut", description = "Given head/middle cut point (with --tail-cut).")
  Double headCut;

  @Option(names = "--tail-cut", description = "Given middle/tail cut point (with --head-cut).")
  Double tailCut;

  @Option(
      names = "--sample",
      defaultValue = "100000",
      description = "Reservoir sample size for learning cut points (default: ${DEFAULT-VALUE}).")
  int sample;

  @Option(
      names = "--reject-file",
      description = "Malformed lines (default: <output>.rejects.jsonl).")
  Path rejectFile;

  @Override
  public Integer call() throws Exception {
    PerplexityBucketsConfig c = new PerplexityBucketsConfig();
    c.headPercentile = headPercentile;
    c.tailPercentile = tailPercentile;
    c.headCut = headCut == null ? Double.NaN : headCut;
    c.tailCut = tailCut == null ? Double.NaN : tailCut;
    c.validate("buckets");
    if (sample < 1) {
      throw new IllegalArgumentException("illegal --sample " + sample + ": must be at least 1");
    }
    double[] values = new double[0];
    if (!c.hasCuts()) {
      double[] reservoir = new double[sample];
      int size = 0;
      long seen = 0;
      SplittableRandom random = new SplittableRandom(0);
      try (DocumentReader reader = new DocumentReader(inputs)) {
        while (reader.hasNext()) {
          InputEntry e = reader.next();
          Double v = e.ok() ? MetaScores.number(e.document(), field) : null;
          if (v == null || v.isNaN()) {
            continue;
          }
          seen++;
          if (size < sample) {
            reservoir[size++] = v;
          } else {
            long j = random.nextLong(seen);
            if (j < sample) {
              reservoir[(int) j] = v;
            }
          }
        }
      }
      values = java.util.Arrays.copyOf(reservoir, size);
    }
    PerplexityBuckets buckets = PerplexityBuckets.fit(c, values);
    long[] counts = new long[3];
    try (DocumentReader reader = new DocumentReader(inputs);
        JsonlWriter out = JsonlWriter.create(output);
        JsonlWriter rej =
            JsonlWriter.rejects(
                rejectFile != null ? rejectFile : Path.of(output + ".rejects.jsonl"))) {
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (!e.ok()) {
          rej.reject(e);
          continue;
        }
        Double v = MetaScores.number(e.document(), field);
        var b = buckets.bucket(v == null ? Double.NaN : v);
        counts[b.ordinal()]++;
        ObjectNode o = DocumentJson.toTree(e.document());
        ((ObjectNode) o.get("meta")).put("ccnet_bucket", b.label());
        out.write(o);
      }
    }
    System.err.printf(
        "buckets: cuts %.4g / %.4g on meta.%s; head %,d, middle %,d, tail %,d -> %s%n",
        buckets.headCut(), buckets.tailCut(), field, counts[0], counts[1], counts[2], output);
    return 0;
  }
}
