package dev.winnow.jobs.curriculum;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes every document on and, at the end of its input, one count entry: the ordered pass sums
 * these to learn the total {@code N} that the stage boundaries need, without a second read of the
 * input.
 *
 * <p>An operator with {@link BoundedOneInput} rather than {@code
 * fullWindowPartition().mapPartition}: Flink 2.2's map-partition runs the function on a second
 * thread behind an iterator, and in our tests it once handed a null element downstream (a job over
 * several small files, {@code SelectionCommandsTest}); here everything runs on the task thread.
 */
public class CountingPass extends AbstractStreamOperator<CurriculumEntry>
    implements OneInputStreamOperator<CurriculumEntry, CurriculumEntry>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private transient long n;

  @Override
  public void processElement(StreamRecord<CurriculumEntry> element) {
    n++;
    output.collect(element);
  }

  @Override
  public void endInput() {
    output.collect(
        new StreamRecord<>(
            CurriculumEntry.count(n, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())));
  }
}
