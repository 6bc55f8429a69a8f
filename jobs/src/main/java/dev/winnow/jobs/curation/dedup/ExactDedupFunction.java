package dev.winnow.jobs.curation.dedup;

import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.common.RuleCounters;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Exact dedup, keyed by the 128-bit hash of the normalized text: the first document with a hash is
 * kept and its id remembered (for {@code ttlSeconds}, or forever when 0); later ones go to the
 * rejected output naming that id. State per kept document: one id string under one 32-character
 * key.
 *
 * <p>With a {@link ReferenceSet}, each subtask first loads, in {@code open()}, the keys of the
 * reference documents that fall into its key groups (heap memory, rebuilt on every start, no TTL).
 * A live document whose text equals a reference document's is rejected naming the reference
 * document, and is not remembered itself.
 */
public class ExactDedupFunction extends KeyedProcessFunction<String, DocRecord, DocRecord> {
  private final long ttlSeconds;
  private final OutputTag<RejectedRecord> rejected;
  private final ReferenceSet reference;
  private final ReferenceText referenceText;
  private final boolean reportReferenceDocs;
  private transient ValueState<String> firstId;
  private transient Map<String, String> referenceIds;

  public ExactDedupFunction(long ttlSeconds, OutputTag<RejectedRecord> rejected) {
    this(ttlSeconds, rejected, null, null, false);
  }

  /**
   * @param reference documents already kept, loaded in {@code open()} before any document is
   *     decided; null for none
   * @param reportReferenceDocs whether subtask 0 reports how many reference documents were read
   *     (when no later stage reports it)
   */
  public ExactDedupFunction(
      long ttlSeconds,
      OutputTag<RejectedRecord> rejected,
      ReferenceSet reference,
      ReferenceText referenceText,
      boolean reportReferenceDocs) {
    this.ttlSeconds = ttlSeconds;
    this.rejected = rejected;
    this.reference = reference;
    this.referenceText = referenceText;
    this.reportReferenceDocs = reportReferenceDocs;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<String> desc =
        new ValueStateDescriptor<>("exact-dedup-first-id", Types.STRING);
    if (ttlSeconds > 0) {
      desc.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofSeconds(ttlSeconds))
              .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
              .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
              .build());
    }
    firstId = getRuntimeContext().getState(desc);
    referenceIds = Map.of();
    if (reference != null) {
      TaskInfo task = getRuntimeContext().getTaskInfo();
      int maxParallelism = task.getMaxNumberOfParallelSubtasks();
      int parallelism = task.getNumberOfParallelSubtasks();
      int self = task.getIndexOfThisSubtask();
      ReferenceIndex.ExactKeys keys =
          ReferenceIndex.exactKeys(
              reference,
              referenceText,
              key ->
                  KeyGroupRangeAssignment.assignKeyToParallelOperator(
                          key, maxParallelism, parallelism)
                      == self);
      referenceIds = keys.firstIdByKey();
      RuleCounters.reportPerAttempt(
          getRuntimeContext(), "exact_dedup_reference_keys", referenceIds.size());
      if (self == 0 && reportReferenceDocs) {
        RuleCounters.reportPerAttempt(
            getRuntimeContext(), "reference_docs", keys.loaded().documents());
        RuleCounters.reportPerAttempt(
            getRuntimeContext(), "reference_undecodable", keys.loaded().undecodable());
      }
    }
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) throws Exception {
    String ref = referenceIds.get(ctx.getCurrentKey());
    if (ref != null) {
      ctx.output(
          rejected,
          RejectedRecord.of(
              d,
              "exact_dedup",
              "exact_dedup",
              "exact_duplicate",
              1.0,
              "identical normalized text",
              ref));
      return;
    }
    String first = firstId.value();
    if (first == null) {
      firstId.update(d.id);
      out.collect(d);
    } else {
      ctx.output(
          rejected,
          RejectedRecord.of(
              d,
              "exact_dedup",
              "exact_dedup",
              "exact_duplicate",
              1.0,
              "identical normalized text",
              first));
    }
  }
}
