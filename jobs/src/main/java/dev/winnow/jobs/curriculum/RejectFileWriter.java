package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.DeadLetterRecord;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes dead letters to a reject file, one {@code {"location", "reason"}} object a line as the file commands do
 * (location: {@code topic-partition@offset} or {@code file:line}). Runs with parallelism 1; the file is rewritten
 * from the start if the task is restarted, so it never holds a line twice. Emits how many it wrote. An operator on
 * the task thread, for the reason given in {@link CountingPass}.
 */
public class RejectFileWriter extends AbstractStreamOperator<Long>
    implements OneInputStreamOperator<DeadLetterRecord, Long>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private final String file;

  public RejectFileWriter(String file) {
    this.file = file;
  }

  private transient BufferedWriter w;
  private transient long n;

  @Override
  public void open() throws Exception {
    super.open();
    Path p = Path.of(file).toAbsolutePath();
    Files.createDirectories(p.getParent());
    w = Files.newBufferedWriter(p, StandardCharsets.UTF_8);
  }

  @Override
  public void processElement(StreamRecord<DeadLetterRecord> element) throws Exception {
    DeadLetterRecord r = element.getValue();
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    o.put("location", location(r));
    o.put("reason", r.reason);
    w.write(o.toString());
    w.newLine();
    n++;
  }

  @Override
  public void endInput() throws Exception {
    w.close();
    w = null;
    output.collect(new StreamRecord<>(n));
  }

  @Override
  public void close() throws Exception {
    if (w != null) {
      w.close();
    }
    super.close();
  }

  static String location(DeadLetterRecord r) {
    return r.partition < 0 ? r.topic : r.topic + "-" + r.partition + "@" + r.offset;
  }
}
