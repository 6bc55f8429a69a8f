package dev.winnow.jobs.curation.files;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.common.RuleCounters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads one input file per element with the ingest module's {@link DocumentReader} (any format it
 * reads: JSONL, WARC, WET, Parquet, plain text), entry by entry, nothing held. A document becomes a
 * {@link RawRecord} as if it had come from a topic, so the job's own decode stage runs on it: value
 * = the document's wire-format JSON, key = its id, "topic" = the file, "partition" = the file's
 * position in the input order, "offset" = the entry's index in the file. An entry that is no
 * document (a malformed line, a non-HTML response, a Parquet row without text, …) goes to the
 * dead-letter output with the reader's reason and its location ({@code file:line}, {@code
 * file@byte-offset}, {@code file:row N}).
 *
 * <p>Counts every entry in {@code read}, the left side of the run's accounting. In batch execution
 * mode a restarted attempt re-reads its files from the start and its counts replace the failed
 * attempt's, so the count is exact across failovers.
 */
public class ReadInputFiles extends ProcessFunction<InputFileRef, RawRecord>
    implements CountingFunction {
  private final OutputTag<DeadLetterRecord> deadLetters;
  private final ReadOptions options;
  private final RuleCounters counters = new RuleCounters();

  public ReadInputFiles(OutputTag<DeadLetterRecord> deadLetters, ReadOptions options) {
    this.deadLetters = deadLetters;
    this.options = options;
  }

  @Override
  public RuleCounters counters() {
    return counters;
  }

  @Override
  public void processElement(InputFileRef file, Context ctx, Collector<RawRecord> out)
      throws Exception {
    try (DocumentReader r = new DocumentReader(List.of(Path.of(file.path)), options)) {
      while (r.hasNext()) {
        InputEntry e = r.next();
        counters.inc("read");
        if (e.ok()) {
          RawRecord raw = new RawRecord();
          raw.key = e.document().id().getBytes(StandardCharsets.UTF_8);
          raw.value = DocumentJson.toBytes(e.document());
          raw.topic = file.path;
          raw.partition = file.index;
          raw.offset = e.index();
          out.collect(raw);
        } else {
          ctx.output(
              deadLetters,
              DeadLetterRecord.of(null, null, e.error(), e.location(), file.index, e.index()));
        }
      }
    }
  }

  /**
   * The record's place in the whole input (file position, then entry index), used as its timestamp:
   * in batch execution mode Flink sorts each keyed input by key and then timestamp, so every dedup
   * stage sees the documents of a key in input order, and the first occurrence in the input is the
   * one kept, on every run.
   */
  public static long sequence(int fileIndex, long entryIndex) {
    return ((long) fileIndex << 40) | entryIndex;
  }
}
