package dev.winnow.jobs.common;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw Kafka records into documents; undecodable ones go to the dead-letter output with the
 * reason, and so do records over a size limit, unread (their bytes are not parsed), so that a
 * stream of oversized records costs the job no more than copying them to the dead-letter topic.
 */
public class DecodeFunction extends ProcessFunction<RawRecord, DocRecord>
    implements CountingFunction {
  private final OutputTag<DeadLetterRecord> deadLetters;
  private final int maxRecordBytes;
  private final String limitName;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  /** Without a size limit. */
  public DecodeFunction(OutputTag<DeadLetterRecord> deadLetters) {
    this(deadLetters, Integer.MAX_VALUE, null);
  }

  /**
   * Records of more than {@code maxRecordBytes} value bytes are dead-lettered unread, the reason
   * naming the setting {@code limitName} that raises the limit.
   */
  public DecodeFunction(
      OutputTag<DeadLetterRecord> deadLetters, int maxRecordBytes, String limitName) {
    this.deadLetters = deadLetters;
    this.maxRecordBytes = maxRecordBytes;
    this.limitName = limitName;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<DocRecord> out) {
    counters.inc(
        "in"); // a monitoring metric; the run summary counts at the sinks (see the jobs' classes)
    if (r.value != null && r.value.length > maxRecordBytes) {
      ctx.output(
          deadLetters,
          DeadLetterRecord.of(
              r.key,
              r.value,
              String.format(
                  java.util.Locale.ROOT,
                  "oversized record: %,d bytes, over the limit of %,d bytes (%s); not decoded."
                      + " Raise %s to curate such documents",
                  r.value.length,
                  maxRecordBytes,
                  limitName,
                  limitName),
              r.topic,
              r.partition,
              r.offset));
      return;
    }
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
