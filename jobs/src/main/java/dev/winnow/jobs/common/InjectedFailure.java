package dev.winnow.jobs.common;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Fault injection for recovery drills and tests ({@code job.injectFailureAfterRecords}): the first
 * attempt of subtask 0 throws after passing that many records, so the job fails over and restarts
 * from its last checkpoint. Later attempts pass everything. Exactly-once output must hold across
 * the restart.
 */
public class InjectedFailure<T> extends RichMapFunction<T, T> {
  private static final java.util.concurrent.atomic.AtomicInteger TRIGGERED =
      new java.util.concurrent.atomic.AtomicInteger();
  private final long after;
  private transient long seen;
  private transient boolean armed;

  public InjectedFailure(long after) {
    this.after = after;
  }

  /** How many injected failures fired in this JVM (a MiniCluster runs in the caller's JVM). */
  public static int triggered() {
    return TRIGGERED.get();
  }

  @Override
  public void open(OpenContext openContext) {
    var info = getRuntimeContext().getTaskInfo();
    armed = info.getAttemptNumber() == 0 && info.getIndexOfThisSubtask() == 0;
    seen = 0;
  }

  @Override
  public T map(T value) {
    if (armed && ++seen > after) {
      armed = false;
      TRIGGERED.incrementAndGet();
      throw new IllegalStateException(
          "injected failure after " + after + " records (job.injectFailureAfterRecords)");
    }
    return value;
  }
}
