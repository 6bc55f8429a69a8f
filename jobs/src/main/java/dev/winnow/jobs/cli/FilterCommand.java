package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.selection.normalize.TextNormalizer;
import dev.winnow.selection.quality.FilterOutcome;
import dev.winnow.selection.quality.QualityConfig;
import dev.winnow.selection.quality.QualityPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "filter",
    mixinStandardHelpOptions = true,
    description = {
      "The quality filters (Gopher quality, Gopher repetition, C4, FineWeb) on files: every document"
          + " out, normalized as in the curation job, with meta.winnow.quality = {kept, filter, rule,"
          + " value, threshold} (kept documents with C4's line removal applied)."
    })
public final class FilterCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output", required = true, description = "Output JSONL file (.gz compresses).")
  Path output;

  @Option(
      names = "--preset",
      defaultValue = "datatrove-0.10",
      description = "datatrove-2024 or datatrove-0.10 (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--order",
      defaultValue = "default",
      description = "default or fineweb (Gopher repetition first); default: ${DEFAULT-VALUE}.")
  String order;

  @Option(
      names = "--normalize",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Normalize text first, as the job does (default: ${DEFAULT-VALUE}).")
  boolean normalize;

  @Override
  public Integer call() throws Exception {
    QualityConfig cfg = new QualityConfig();
    cfg.preset = preset;
    cfg.order = order;
    cfg.validate("filter");
    QualityPipeline pipeline = new QualityPipeline(cfg);
    TextNormalizer normalizer = new TextNormalizer();
    long docs = 0;
    long kept = 0;
    long malformed = 0;
    Map<String, Long> byRule = new TreeMap<>();
    long t0 = System.nanoTime();
    try (DocumentReader reader = new DocumentReader(inputs);
        JsonlWriter out = JsonlWriter.create(output);
        JsonlWriter bad = JsonlWriter.rejects(Path.of(output + ".rejects.jsonl"))) {
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (!e.ok()) {
          bad.reject(e);
          malformed++;
          continue;
        }
        docs++;
        DocRecord d = DocRecord.of(e.document(), e.location());
        if (normalize) {
          d.text = normalizer.normalize(d.text);
        }
        FilterOutcome o = pipeline.apply(d.text);
        if (o.isKept()) {
          kept++;
          d.text = o.text();
          d.annotations = Annotations.with(d.annotations, "quality", q -> q.put("kept", true));
        } else {
          var r = o.rejection();
          byRule.merge(r.filter() + "/" + r.rule(), 1L, Long::sum);
          d.annotations =
              Annotations.with(
                  d.annotations,
                  "quality",
                  q -> {
                    q.put("kept", false);
                    q.put("filter", r.filter());
                    q.put("rule", r.rule());
                    Annotations.putFinite(q, "value", r.value());
                    q.put("threshold", r.threshold());
                  });
        }
        ObjectNode json = d.toJson();
        out.write(json);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.err.printf(
        "filter (%s, order %s): %,d documents -> %,d kept, %,d rejected %s, %,d malformed lines;"
            + " %,.0f docs/s%n",
        preset, order, docs, kept, docs - kept, byRule, malformed, docs / Math.max(secs, 1e-9));
    return 0;
  }
}
