package dev.winnow.jobs.curation.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.normalize.TextNormalizer;
import dev.winnow.selection.quality.FilterOutcome;
import dev.winnow.selection.quality.QualityConfig;
import dev.winnow.selection.quality.QualityPipeline;
import dev.winnow.selection.quality.Rejection;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Normalizes a document (when enabled) and runs the heuristic quality filters. Rejections go to the
 * rejected output with the rule, measured value and threshold; a document that makes a filter throw
 * goes to the dead-letter output (a bug or a pathological input must not stop the job). Lines the
 * C4 filter removed are counted under {@code meta.winnow.c4_removed_lines}.
 */
public class QualityFunction extends ProcessFunction<DocRecord, DocRecord> {
  private final boolean normalize;
  private final QualityConfig config;
  private final OutputTag<RejectedRecord> rejected;
  private final OutputTag<DeadLetterRecord> deadLetters;
  private transient TextNormalizer normalizer;
  private transient QualityPipeline pipeline;

  public QualityFunction(
      boolean normalize,
      QualityConfig config,
      OutputTag<RejectedRecord> rejected,
      OutputTag<DeadLetterRecord> deadLetters) {
    this.normalize = normalize;
    this.config = config;
    this.rejected = rejected;
    this.deadLetters = deadLetters;
  }

  @Override
  public void open(OpenContext openContext) {
    normalizer = new TextNormalizer();
    pipeline = new QualityPipeline(config);
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) {
    FilterOutcome outcome;
    try {
      if (normalize) {
        d.text = normalizer.normalize(d.text);
      }
      outcome = pipeline.apply(d.text);
    } catch (RuntimeException e) {
      ctx.output(
          deadLetters,
          DeadLetterRecord.of(
              d.id.getBytes(StandardCharsets.UTF_8),
              DocumentJson.mapper()
                  .valueToTree(d.toJson())
                  .toString()
                  .getBytes(StandardCharsets.UTF_8),
              "quality stage failed on document " + d.id + ": " + e,
              null,
              -1,
              -1));
      return;
    }
    if (outcome instanceof FilterOutcome.Rejected r) {
      Rejection rej = r.rejection();
      ctx.output(
          rejected,
          RejectedRecord.of(
              d, "quality", rej.filter(), rej.rule(), rej.value(), rej.threshold(), null));
      return;
    }
    d.text = outcome.text();
    if (!outcome.removedLines().isEmpty()) {
      ObjectNode a =
          d.annotations == null ? DocumentJson.mapper().createObjectNode() : readAnnotations(d);
      a.set("c4_removed_lines", DocumentJson.mapper().valueToTree(outcome.removedLines()));
      d.annotations = a.toString();
    }
    out.collect(d);
  }

  private static ObjectNode readAnnotations(DocRecord d) {
    try {
      return (ObjectNode) DocumentJson.mapper().readTree(d.annotations);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
