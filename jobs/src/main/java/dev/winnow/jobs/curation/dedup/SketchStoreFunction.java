package dev.winnow.jobs.curation.dedup;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.selection.dedup.minhash.OnePermutationSketch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Near-dedup step 2b, keyed by a bucket owner's 32-bit address: holds, once per document that owns
 * at least one band bucket, its id and its packed b-bit one-permutation sketch ({@link
 * OnePermutationSketch}, {@value OnePermutationSketch#DEFAULT_BINS} bins of {@value
 * OnePermutationSketch#DEFAULT_BITS} bits = 64 bytes), and answers each band's candidate: the
 * owner's similarity when at or above the threshold (against every document stored at that address,
 * normally one; two documents whose keys collide in 32 bits share the value), else no match; or,
 * for a document that has just taken an empty bucket, stores it and answers no live match. The
 * bucket's reference match, if any, wins ties, as reference documents are older than every live
 * one.
 *
 * <p>Why this layout: the earlier one kept a bottom-256 sketch (up to 1,028 bytes) in each of a
 * document's b band buckets, about 16 KB of keyed state per kept document for {@code datatrove} (b
 * = 14). Here a bucket is 12 bytes and the sketch is stored once: about 14 &middot; 12 + 4 + 4 + 13
 * + 64 = 253 bytes per kept document with 11-character ids. Order is safe without a feedback edge:
 * a bucket sends its owner's entry before any candidate for that owner, on the same channel, and
 * Flink keeps a channel's order (and its in-flight data in a checkpoint). Semantics that differ
 * from the bucket of up to {@code maxDocsPerBucket} entries: a bucket only ever compares with its
 * first document, so a document whose band matched a dissimilar owner is not added to that bucket;
 * the streaming stage ignores {@code maxDocsPerBucket} ({@code bench/results/near-dedup.md}
 * measures the effect on decisions). {@code near_dedup_state_bytes} counts the value bytes plus the
 * 4-byte key of each new address.
 */
public class SketchStoreFunction extends KeyedProcessFunction<Integer, BandCandidate, BandAnswer>
    implements CountingFunction {
  private final double threshold;
  private final long stateTtlHours;
  private transient ValueState<byte[]> stored;
  private final RuleCounters counters = new RuleCounters();

  private static final int BINS = OnePermutationSketch.DEFAULT_BINS;
  private static final int BITS = OnePermutationSketch.DEFAULT_BITS;
  private static final int SKETCH_BYTES = OnePermutationSketch.packedBytes(BINS, BITS);

  public SketchStoreFunction(double threshold, long stateTtlHours) {
    this.threshold = threshold;
    this.stateTtlHours = stateTtlHours;
  }

  @Override
  public RuleCounters counters() {
    return counters;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<byte[]> desc =
        new ValueStateDescriptor<>(
            "near-dup-sketches", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    if (stateTtlHours > 0) {
      // refreshed by every bucket the document takes, so it lives as long as its newest bucket
      desc.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofHours(stateTtlHours))
              .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
              .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
              .build());
    }
    stored = getRuntimeContext().getState(desc);
  }

  @Override
  public void processElement(BandCandidate c, Context ctx, Collector<BandAnswer> out)
      throws Exception {
    if (c.sketch == null || c.sketch.length != SKETCH_BYTES) {
      throw new IllegalStateException(
          "candidate of "
              + c.docKey
              + " carries a sketch of "
              + (c.sketch == null ? "no" : c.sketch.length)
              + " bytes, the store holds "
              + SKETCH_BYTES
              + " (probes and store must come from the same build)");
    }
    byte[] value = stored.value();
    BandAnswer a = new BandAnswer();
    a.docKey = c.docKey;
    if (c.owns) {
      if (value == null || !holds(value, c.docId)) {
        byte[] grown = append(value, c.docId, c.sketch);
        counters.add(
            "near_dedup_state_bytes",
            value == null ? 4 + 4 + grown.length : grown.length - value.length);
        value = grown;
      }
      stored.update(value);
    } else if (value != null) {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
      byte[] sketch = new byte[SKETCH_BYTES];
      while (in.available() > 0) {
        String id = in.readUTF();
        in.readFully(sketch);
        double s = OnePermutationSketch.jaccard(c.sketch, sketch, BINS, BITS);
        if (s >= threshold && (a.matchId == null || s > a.similarity)) {
          a.matchId = id;
          a.matchCluster = id;
          a.similarity = s;
        }
      }
    }
    if (c.referenceId != null && (a.matchId == null || c.referenceSimilarity >= a.similarity)) {
      a.matchId = c.referenceId;
      a.matchCluster = c.referenceCluster;
      a.similarity = c.referenceSimilarity;
    }
    out.collect(a);
  }

  private static boolean holds(byte[] value, String docId) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
    while (in.available() > 0) {
      String id = in.readUTF();
      in.skipNBytes(SKETCH_BYTES);
      if (id.equals(docId)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] append(byte[] value, String docId, byte[] sketch) throws IOException {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(
            (value == null ? 0 : value.length)
                + 2
                + docId.getBytes(StandardCharsets.UTF_8).length
                + sketch.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (value != null) {
        out.write(value);
      }
      out.writeUTF(docId);
      out.write(sketch);
    }
    return bytes.toByteArray();
  }
}
