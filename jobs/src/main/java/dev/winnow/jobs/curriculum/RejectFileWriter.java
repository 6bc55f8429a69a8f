package dev.winnow.jobs.curriculum;

import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.JsonlWriter;
import java.nio.file.Path;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes dead letters to a reject file, one {@code {"location", "reason"}} object a line as the
 * file commands do (location: {@code topic-partition@offset} or {@code file:line}). Runs with
 * parallelism 1; the file is rewritten from the start if the task is restarted, so it never holds a
 * line twice. Emits how many it wrote. An operator on the task thread, for the reason given in
 * {@link CountingPass}.
 */
public class RejectFileWriter extends AbstractStreamOperator<Long>
    implements OneInputStreamOperator<DeadLetterRecord, Long>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private final String file;

  public RejectFileWriter(String file) {
    this.file = file;
  }

  private transient JsonlWriter w;

  @Override
  public void open() throws Exception {
    super.open();
    w = JsonlWriter.create(Path.of(file).toAbsolutePath());
  }

  @Override
  public void processElement(StreamRecord<DeadLetterRecord> element) {
    DeadLetterRecord r = element.getValue();
    w.reject(location(r), r.reason);
  }

  @Override
  public void endInput() throws Exception {
    w.close();
    output.collect(new StreamRecord<>(w.lines()));
    w = null;
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
