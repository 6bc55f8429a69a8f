package dev.winnow.jobs.curation;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Counts what passes (a metric and an accumulator named {@code name}) and passes it on unchanged. */
public class Count<T> extends RichMapFunction<T, T> {
  private final String name;
  private transient RuleCounters counters;

  public Count(String name) {
    this.name = name;
  }

  @Override
  public void open(OpenContext openContext) {
    counters = new RuleCounters(getRuntimeContext());
  }

  @Override
  public T map(T value) {
    counters.inc(name);
    return value;
  }
}
