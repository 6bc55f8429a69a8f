package dev.winnow.jobs.curation;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-rule counters of one operator: a Flink metric (group {@code winnow}, name = the counter's name) for monitoring
 * a running job, and an accumulator of the same name for the run summary of a bounded job. Created lazily, because
 * rule names are only known as documents hit them.
 */
final class RuleCounters {
  static final String PREFIX = "winnow.";
  private final RuntimeContext ctx;
  private final MetricGroup group;
  private final Map<String, Counter> metrics = new HashMap<>();
  private final Map<String, LongCounter> accumulators = new HashMap<>();

  RuleCounters(RuntimeContext ctx) {
    this.ctx = ctx;
    this.group = ctx.getMetricGroup().addGroup("winnow");
  }

  void inc(String name) {
    metrics.computeIfAbsent(name, group::counter).inc();
    accumulators.computeIfAbsent(name, n -> {
      LongCounter c = new LongCounter();
      ctx.addAccumulator(PREFIX + n, c);
      return c;
    }).add(1);
  }
}
