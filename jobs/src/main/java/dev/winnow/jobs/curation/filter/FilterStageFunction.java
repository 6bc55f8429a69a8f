package dev.winnow.jobs.curation.filter;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link DocumentFilter} as a stage of the curation job: kept documents go on, rejections go
 * to the rejected output, and a document that makes the filter throw goes to the dead-letter output
 * with the stage and the error (one bad document must not stop the job), as in {@link
 * QualityFunction}. Stateless: what the filter loads is rebuilt in {@code open()} on every
 * (re)start.
 */
public class FilterStageFunction extends ProcessFunction<DocRecord, DocRecord> {
  private static final long serialVersionUID = 1L;
  private final DocumentFilter filter;
  private final OutputTag<RejectedRecord> rejected;
  private final OutputTag<DeadLetterRecord> deadLetters;

  public FilterStageFunction(
      DocumentFilter filter,
      OutputTag<RejectedRecord> rejected,
      OutputTag<DeadLetterRecord> deadLetters) {
    this.filter = filter;
    this.rejected = rejected;
    this.deadLetters = deadLetters;
  }

  @Override
  public void open(OpenContext openContext) {
    filter.open();
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) {
    RejectedRecord r;
    try {
      r = filter.apply(d);
    } catch (RuntimeException e) {
      ctx.output(
          deadLetters,
          DeadLetterRecord.of(
              d.id.getBytes(StandardCharsets.UTF_8),
              DocumentJson.mapper()
                  .valueToTree(d.toJson())
                  .toString()
                  .getBytes(StandardCharsets.UTF_8),
              filter.stage() + " stage failed on document " + d.id + ": " + e,
              null,
              -1,
              -1));
      return;
    }
    if (r != null) {
      ctx.output(rejected, r);
    } else {
      out.collect(d);
    }
  }
}
