package dev.winnow.jobs.common;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * A Flink function that counts per rule ({@link RuleCounters}) with its counts in checkpointed
 * operator state: the state handling, written once. A rich function implements it with a field
 * {@code new RuleCounters()} returned by {@link #counters()}; one with more state of its own
 * overrides a method and calls this one too.
 *
 * <pre>{@code
 * class Decide extends ProcessFunction<DocRecord, DocRecord> implements CountingFunction {
 *   private final RuleCounters counters = new RuleCounters();
 *   public RuleCounters counters() { return counters; }
 *   public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) { counters.inc("in"); ... }
 * }
 * }</pre>
 */
public interface CountingFunction extends CheckpointedFunction {
  /** The function's counters (one object for its life). */
  RuleCounters counters();

  /** The rich function's runtime context (implemented by Flink's {@code AbstractRichFunction}). */
  RuntimeContext getRuntimeContext();

  @Override
  default void initializeState(FunctionInitializationContext context) throws Exception {
    counters().restore(getRuntimeContext(), context);
  }

  @Override
  default void snapshotState(FunctionSnapshotContext context) throws Exception {
    counters().snapshot();
  }
}
