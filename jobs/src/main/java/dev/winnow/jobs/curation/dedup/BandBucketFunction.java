package dev.winnow.jobs.curation.dedup;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.selection.dedup.minhash.BandBucket;
import dev.winnow.selection.dedup.minhash.BottomKSketch;
import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.MinHashSignature;
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

/**
 * Near-dedup step 2, keyed by LSH band key. State per band bucket is one 32-bit number: the
 * sketch-store address of the bucket's owner, the first document whose probe reached it (Flink
 * state TTL when {@code stateTtlHours} > 0). For each probe it sends one {@link BandCandidate} to
 * the {@link SketchStoreFunction}: to the owner's address, to be compared there, or, when the
 * bucket was empty, to the probing document's own address, which then owns the bucket and whose
 * sketch the store keeps. The comparison and the answer to the band happen in the store, which
 * holds each owner's sketch once instead of once per band; see {@link SketchStoreFunction} for why
 * this layout and what it costs. {@code near_dedup_state_bytes} counts 12 bytes per bucket (its
 * 8-byte key and 4-byte value).
 *
 * <p>With a {@link ReferenceSet}, each subtask also holds reference buckets for the band keys it
 * owns, built in {@code open()} from the whole reference set (see {@link ReferenceIndex}). They are
 * heap memory, not Flink state: rebuilt from the pinned reference on every (re)start, never evicted
 * by live documents, and checked here, with the probe's signature or bottom-k sketch; the best
 * reference match travels with the candidate and the store answers the best of both. A live
 * document never joins a reference bucket.
 */
public class BandBucketFunction extends KeyedProcessFunction<Long, BandProbe, BandCandidate>
    implements CountingFunction {
  private final MinHashConfig config;
  private final ReferenceSet reference;
  private final ReferenceText referenceText;
  private transient ValueState<Integer> bucketState;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  /**
   * This subtask's share of the reference documents' band buckets; empty without a reference set.
   */
  private transient Map<Long, BandBucket> referenceBuckets;

  public BandBucketFunction(MinHashConfig config) {
    this(config, null, null);
  }

  /**
   * @param reference documents already kept, loaded into this subtask's reference buckets in {@code
   *     open()}, before any probe is answered; null for none
   * @param referenceText how the reference texts are prepared (as live texts are before this stage)
   */
  public BandBucketFunction(
      MinHashConfig config, ReferenceSet reference, ReferenceText referenceText) {
    this.config = config;
    this.reference = reference;
    this.referenceText = referenceText;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Integer> desc = new ValueStateDescriptor<>("lsh-band-owner", Types.INT);
    if (config.stateTtlHours > 0) {
      desc.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofHours(config.stateTtlHours))
              .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
              .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
              .build());
    }
    bucketState = getRuntimeContext().getState(desc);
    referenceBuckets = Map.of();
    if (reference != null) {
      // open() completes before the first probe reaches processElement: the reference set is fully
      // indexed before
      // any live document is decided, however the live records are scheduled.
      TaskInfo task = getRuntimeContext().getTaskInfo();
      int maxParallelism = task.getMaxNumberOfParallelSubtasks();
      int parallelism = task.getNumberOfParallelSubtasks();
      int self = task.getIndexOfThisSubtask();
      ReferenceIndex.Bands bands =
          ReferenceIndex.bands(
              reference,
              referenceText,
              config,
              key ->
                  KeyGroupRangeAssignment.assignKeyToParallelOperator(
                          key, maxParallelism, parallelism)
                      == self);
      referenceBuckets = bands.buckets();
      RuleCounters.reportPerAttempt(
          getRuntimeContext(), "near_dedup_reference_bytes", bands.bytes());
      if (self == 0) {
        RuleCounters.reportPerAttempt(
            getRuntimeContext(), "reference_docs", bands.loaded().documents());
        RuleCounters.reportPerAttempt(
            getRuntimeContext(), "near_dedup_reference_docs", bands.indexed());
        RuleCounters.reportPerAttempt(
            getRuntimeContext(), "reference_undecodable", bands.loaded().undecodable());
      }
    }
  }

  @Override
  public void processElement(BandProbe p, Context ctx, Collector<BandCandidate> out)
      throws Exception {
    BandCandidate c = new BandCandidate();
    c.docKey = p.docKey;
    c.docId = p.docId;
    c.sketch = p.compact;
    BandBucket ref = referenceBuckets.get(ctx.getCurrentKey());
    if (ref != null) {
      BottomKSketch sketch =
          p.sketch == null ? null : BottomKSketch.ofValues(config.sketchSize, p.sketch);
      BandBucket.Match r =
          ref.bestMatch(
              new MinHashSignature(p.signature),
              p.shingles,
              sketch,
              config.threshold,
              config.exactJaccardCheck);
      if (r != null) {
        c.referenceId = r.entry().docId();
        c.referenceCluster = r.entry().clusterId();
        c.referenceSimilarity = r.similarity();
      }
    }
    Integer owner = bucketState.value();
    if (owner == null) {
      bucketState.update(p.owner);
      counters.add("near_dedup_state_bytes", BUCKET_BYTES);
      c.owner = p.owner;
      c.owns = true;
    } else {
      c.owner = owner;
    }
    out.collect(c);
  }

  /** Serialized bytes of one bucket: its 8-byte band key and its 4-byte owner address. */
  static final int BUCKET_BYTES = 12;
}
