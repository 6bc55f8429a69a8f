package dev.winnow.jobs.common;

import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts what passes (a metric and an accumulator named {@code name}) and passes it on unchanged.
 */
public class Count<T> extends RichMapFunction<T, T> implements CountingFunction {
  private final String name;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  public Count(String name) {
    this.name = name;
  }

  @Override
  public T map(T value) {
    counters.inc(name);
    return value;
  }
}
