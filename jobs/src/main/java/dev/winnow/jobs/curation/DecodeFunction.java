package dev.winnow.jobs.curation;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Decodes raw Kafka records into documents; undecodable ones go to the dead-letter output with the reason. */
public class DecodeFunction extends ProcessFunction<RawRecord, DocRecord> {
  private final OutputTag<DeadLetterRecord> deadLetters;
  private transient RuleCounters counters;

  public DecodeFunction(OutputTag<DeadLetterRecord> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void open(OpenContext openContext) {
    counters = new RuleCounters(getRuntimeContext());
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<DocRecord> out) {
    counters.inc("in");
    try {
      Document d = DocumentJson.parse(r.value);
      out.collect(DocRecord.of(d, r.origin()));
    } catch (DocumentFormatException | RuntimeException e) {
      counters.inc("deadletter");
      ctx.output(deadLetters, DeadLetterRecord.of(r.key, r.value, "undecodable record: " + e.getMessage(),
          r.topic, r.partition, r.offset));
    }
  }
}
