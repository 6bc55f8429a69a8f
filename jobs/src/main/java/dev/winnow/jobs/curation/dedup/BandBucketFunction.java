package dev.winnow.jobs.curation.dedup;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.selection.dedup.minhash.BandBucket;
import dev.winnow.selection.dedup.minhash.BottomKSketch;
import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.MinHashSignature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Near-dedup step 2, keyed by LSH band key: the bucket of earlier documents that share this band (a
 * bounded FIFO of {@code maxDocsPerBucket} entries, with Flink state TTL when {@code stateTtlHours}
 * > 0). For each probe it answers the most similar entry at or above the threshold, or no match; on
 * no match the probing document joins the bucket as its own cluster. State is the bucket serialized
 * with {@link BandBucket#writeTo}; its size is tracked in the counter {@code
 * near_dedup_state_bytes} (bytes added minus bytes evicted).
 *
 * <p>With a {@link ReferenceSet}, each subtask also holds reference buckets for the band keys it
 * owns, built in {@code open()} from the whole reference set (see {@link ReferenceIndex}). They are
 * heap memory, not Flink state: rebuilt from the pinned reference on every (re)start, never evicted
 * by live documents, and a probe's answer is its best match among live and reference entries. A
 * live document never joins a reference bucket.
 */
public class BandBucketFunction extends KeyedProcessFunction<Long, BandProbe, BandAnswer>
    implements CountingFunction {
  private final MinHashConfig config;
  private final ReferenceSet reference;
  private final ReferenceText referenceText;
  private transient ValueState<byte[]> bucketState;
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
    ValueStateDescriptor<byte[]> desc =
        new ValueStateDescriptor<>(
            "lsh-band-bucket", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
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
  public void processElement(BandProbe p, Context ctx, Collector<BandAnswer> out) throws Exception {
    byte[] stored = bucketState.value();
    BandBucket bucket =
        stored == null
            ? new BandBucket(config.maxDocsPerBucket)
            : BandBucket.readFrom(
                new DataInputStream(new ByteArrayInputStream(stored)), config.maxDocsPerBucket);
    MinHashSignature sig = new MinHashSignature(p.signature);
    BottomKSketch sketch =
        p.sketch == null ? null : BottomKSketch.ofValues(config.sketchSize, p.sketch);
    BandBucket.Match m =
        bucket.bestMatch(sig, p.shingles, sketch, config.threshold, config.exactJaccardCheck);
    BandBucket ref = referenceBuckets.get(ctx.getCurrentKey());
    if (ref != null) {
      // reference documents are older than every live one: they win ties
      BandBucket.Match r =
          ref.bestMatch(sig, p.shingles, sketch, config.threshold, config.exactJaccardCheck);
      if (r != null && (m == null || r.similarity() >= m.similarity())) {
        m = r;
      }
    }
    BandAnswer a = new BandAnswer();
    a.docKey = p.docKey;
    if (m != null) {
      a.matchId = m.entry().docId();
      a.matchCluster = m.entry().clusterId();
      a.similarity = m.similarity();
    } else {
      // the entry keeps what the check needs: with a sketch, the sketch instead of the signature
      BandBucket.Entry e =
          new BandBucket.Entry(p.docId, p.docId, sketch != null ? null : sig, p.shingles, sketch);
      BandBucket.Entry evicted = bucket.add(e);
      counters.add(
          "near_dedup_state_bytes",
          e.serializedBytes() - (evicted == null ? 0 : evicted.serializedBytes()));
      bucketState.update(serialize(bucket));
    }
    out.collect(a);
  }

  private static byte[] serialize(BandBucket bucket) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      bucket.writeTo(out);
    }
    return bytes.toByteArray();
  }
}
