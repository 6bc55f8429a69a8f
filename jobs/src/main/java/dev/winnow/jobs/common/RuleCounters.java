package dev.winnow.jobs.common;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Per-rule counters of one operator: a Flink metric (group {@code winnow}, name = the counter's
 * name) for monitoring a running job, and an accumulator of the same name for the run summary of a
 * bounded job. Created lazily, because rule names are only known as documents hit them.
 *
 * <p>The counts are operator state, checkpointed with the rest: after a failure the job restarts
 * from its last checkpoint with the counts as of that checkpoint, so counters and output topics
 * agree exactly (plain Flink accumulators and metrics would start again from zero on the restarted
 * attempt).
 */
public final class RuleCounters implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String PREFIX = "winnow.";

  /** The operator-state name of the counts (kept from the first release: checkpoints name it). */
  static final String STATE_NAME = "winnow-counters";

  private transient RuntimeContext ctx;
  private transient MetricGroup group;
  private transient ListState<Tuple2<String, Long>> state;
  private transient Map<String, long[]> counts;
  private transient Map<String, Counter> metrics;
  private transient Map<String, LongCounter> accumulators;

  /**
   * Counters not yet bound to an operator: a field of a function ({@link CountingFunction}),
   * travelling with it to the TaskManagers, bound there by {@link #restore}.
   */
  public RuleCounters() {}

  /**
   * Call from {@code initializeState} ({@link CountingFunction} does): binds the counters to the
   * operator and restores its counts from the checkpoint being restored, if any.
   */
  public void restore(RuntimeContext ctx, FunctionInitializationContext init) throws Exception {
    this.ctx = ctx;
    this.group = ctx.getMetricGroup().addGroup("winnow");
    this.state =
        init.getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(STATE_NAME, Types.TUPLE(Types.STRING, Types.LONG)));
    this.counts = new HashMap<>();
    this.metrics = new HashMap<>();
    this.accumulators = new HashMap<>();
    if (init.isRestored()) {
      for (Tuple2<String, Long> t : state.get()) {
        add(t.f0, t.f1);
      }
    }
  }

  /** Call from {@code snapshotState}. */
  public void snapshot() throws Exception {
    state.clear();
    for (var e : counts.entrySet()) {
      state.add(Tuple2.of(e.getKey(), e.getValue()[0]));
    }
  }

  /** The run's counters (the accumulators of every {@code RuleCounters}), without their prefix. */
  public static Map<String, Long> of(JobExecutionResult result) {
    Map<String, Long> out = new TreeMap<>();
    result
        .getAllAccumulatorResults()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX) && v instanceof Number n) {
                out.put(k.substring(PREFIX.length()), n.longValue());
              }
            });
    return out;
  }

  public void inc(String name) {
    add(name, 1);
  }

  /** Adds {@code n} (which may be negative, for sizes) to counter {@code name}. */
  public void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new long[1])[0] += n;
    metrics.computeIfAbsent(name, group::counter).inc(n);
    accumulators
        .computeIfAbsent(
            name,
            k -> {
              LongCounter c = new LongCounter();
              ctx.addAccumulator(PREFIX + k, c);
              return c;
            })
        .add(n);
  }

  /**
   * Reports a figure that an operator derives afresh in every attempt (such as what it loaded in
   * {@code open()}), as a metric and an accumulator of the run summary; unlike {@link #add}, it is
   * not checkpointed, because a restarted attempt derives and reports it again.
   */
  public static void reportPerAttempt(RuntimeContext ctx, String name, long value) {
    ctx.getMetricGroup().addGroup("winnow").counter(name).inc(value);
    LongCounter c = new LongCounter();
    c.add(value);
    ctx.addAccumulator(PREFIX + name, c);
  }
}
