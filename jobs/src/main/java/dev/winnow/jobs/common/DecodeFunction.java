package dev.winnow.jobs.common;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw Kafka records into documents; undecodable ones go to the dead-letter output with the
 * reason.
 */
public class DecodeFunction extends ProcessFunction<RawRecord, DocRecord>
    implements CountingFunction {
  private final OutputTag<DeadLetterRecord> deadLetters;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  public DecodeFunction(OutputTag<DeadLetterRecord> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<DocRecord> out) {
    counters.inc(
        "in"); // a monitoring metric; the run summary counts at the sinks (see the jobs' classes)
    try {
      Document d = DocumentJson.parse(r.value);
      out.collect(DocRecord.of(d, r.origin()));
    } catch (DocumentFormatException | RuntimeException e) {
      ctx.output(
          deadLetters,
          DeadLetterRecord.of(
              r.key,
              r.value,
              "undecodable record: " + e.getMessage(),
              r.topic,
              r.partition,
              r.offset));
    }
  }
}
