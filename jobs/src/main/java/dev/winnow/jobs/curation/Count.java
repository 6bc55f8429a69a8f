package dev.winnow.jobs.curation;

import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import org.apache.flink.api.common.functions.RichMapFunction;

/** Counts what passes (a metric and an accumulator named {@code name}) and passes it on unchanged. */
public class Count<T> extends RichMapFunction<T, T> implements CheckpointedFunction {
  private final String name;
  private transient RuleCounters counters;

  public Count(String name) {
    this.name = name;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    counters = RuleCounters.restore(getRuntimeContext(), context);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    counters.snapshot();
  }

  @Override
  public T map(T value) {
    counters.inc(name);
    return value;
  }
}
