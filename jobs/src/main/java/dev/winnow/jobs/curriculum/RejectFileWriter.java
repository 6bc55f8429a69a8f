package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.DeadLetterRecord;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.MapPartitionFunction;
import org.apache.flink.util.Collector;

/**
 * Writes dead letters to a reject file, one {@code {"location", "reason"}} object a line as the file commands do
 * (location: {@code topic-partition@offset} or {@code file:line}). Runs with parallelism 1; the file is rewritten
 * from the start if the task is restarted, so it never holds a line twice. Emits how many it wrote.
 */
public class RejectFileWriter implements MapPartitionFunction<DeadLetterRecord, Long> {
  private static final long serialVersionUID = 1L;
  private final String file;

  public RejectFileWriter(String file) {
    this.file = file;
  }

  @Override
  public void mapPartition(Iterable<DeadLetterRecord> records, Collector<Long> out) throws Exception {
    Path p = Path.of(file).toAbsolutePath();
    Files.createDirectories(p.getParent());
    long n = 0;
    try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      for (DeadLetterRecord r : records) {
        ObjectNode o = DocumentJson.mapper().createObjectNode();
        o.put("location", location(r));
        o.put("reason", r.reason);
        w.write(o.toString());
        w.newLine();
        n++;
      }
    }
    out.collect(n);
  }

  static String location(DeadLetterRecord r) {
    return r.partition < 0 ? r.topic : r.topic + "-" + r.partition + "@" + r.offset;
  }
}
