package dev.winnow.jobs.curriculum;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.DocRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads one input file per element with the ingest module's {@link DocumentReader}, line by line
 * (nothing is held): documents go on with {@code file:line} as their origin; a malformed line goes
 * to the dead-letter output with the reader's reason, its location in place of a topic (partition
 * −1, offset = its index in the file).
 */
public class ReadJsonlFiles extends ProcessFunction<String, DocRecord> {
  private static final long serialVersionUID = 1L;
  private final OutputTag<DeadLetterRecord> deadLetters;

  public ReadJsonlFiles(OutputTag<DeadLetterRecord> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void processElement(String file, Context ctx, Collector<DocRecord> out) throws Exception {
    try (DocumentReader r = new DocumentReader(List.of(Path.of(file)))) {
      while (r.hasNext()) {
        InputEntry e = r.next();
        if (e.ok()) {
          out.collect(DocRecord.of(e.document(), e.location()));
        } else {
          ctx.output(
              deadLetters,
              DeadLetterRecord.of(
                  null, null, "malformed input: " + e.error(), e.location(), -1, e.index()));
        }
      }
    }
  }
}
