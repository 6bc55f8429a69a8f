package dev.winnow.jobs.curation;

import java.util.HashMap;
import java.util.Map;
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
 * Per-rule counters of one operator: a Flink metric (group {@code winnow}, name = the counter's name) for monitoring
 * a running job, and an accumulator of the same name for the run summary of a bounded job. Created lazily, because
 * rule names are only known as documents hit them.
 *
 * <p>The counts are operator state, checkpointed with the rest: after a failure the job restarts from its last
 * checkpoint with the counts as of that checkpoint, so counters and output topics agree exactly (plain Flink
 * accumulators and metrics would start again from zero on the restarted attempt).
 */
public final class RuleCounters {
  public static final String PREFIX = "winnow.";
  private final RuntimeContext ctx;
  private final MetricGroup group;
  private final ListState<Tuple2<String, Long>> state;
  private final Map<String, long[]> counts = new HashMap<>();
  private final Map<String, Counter> metrics = new HashMap<>();
  private final Map<String, LongCounter> accumulators = new HashMap<>();

  private RuleCounters(RuntimeContext ctx, ListState<Tuple2<String, Long>> state) {
    this.ctx = ctx;
    this.group = ctx.getMetricGroup().addGroup("winnow");
    this.state = state;
  }

  /** Call from {@code initializeState}: restores this operator's counts from the checkpoint being restored, if any. */
  public static RuleCounters restore(RuntimeContext ctx, FunctionInitializationContext init) throws Exception {
    ListState<Tuple2<String, Long>> st = init.getOperatorStateStore()
        .getListState(new ListStateDescriptor<>("winnow-counters", Types.TUPLE(Types.STRING, Types.LONG)));
    RuleCounters c = new RuleCounters(ctx, st);
    if (init.isRestored()) {
      for (Tuple2<String, Long> t : st.get()) {
        c.add(t.f0, t.f1);
      }
    }
    return c;
  }

  /** Call from {@code snapshotState}. */
  public void snapshot() throws Exception {
    state.clear();
    for (var e : counts.entrySet()) {
      state.add(Tuple2.of(e.getKey(), e.getValue()[0]));
    }
  }

  public void inc(String name) {
    add(name, 1);
  }

  /** Adds {@code n} (which may be negative, for sizes) to counter {@code name}. */
  public void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new long[1])[0] += n;
    metrics.computeIfAbsent(name, group::counter).inc(n);
    accumulators.computeIfAbsent(name, k -> {
      LongCounter c = new LongCounter();
      ctx.addAccumulator(PREFIX + k, c);
      return c;
    }).add(n);
  }

  /**
   * Reports a figure that an operator derives afresh in every attempt (such as what it loaded in {@code open()}), as a
   * metric and an accumulator of the run summary; unlike {@link #add}, it is not checkpointed, because a restarted
   * attempt derives and reports it again.
   */
  static void reportPerAttempt(RuntimeContext ctx, String name, long value) {
    ctx.getMetricGroup().addGroup("winnow").counter(name).inc(value);
    LongCounter c = new LongCounter();
    c.add(value);
    ctx.addAccumulator(PREFIX + name, c);
  }
}
