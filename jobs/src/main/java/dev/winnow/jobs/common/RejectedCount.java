package dev.winnow.jobs.common;

import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts rejected documents in total ({@code rejected}) and per rule ({@code rejected.<rule>})
 * before the sink.
 */
public class RejectedCount extends RichMapFunction<RejectedRecord, RejectedRecord>
    implements CountingFunction {
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  @Override
  public RejectedRecord map(RejectedRecord r) {
    counters.inc("rejected");
    counters.inc("rejected." + r.rule);
    return r;
  }
}
