package dev.winnow.jobs.curation;


import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Exact dedup, keyed by the 128-bit hash of the normalized text: the first document with a hash is kept and its id
 * remembered (for {@code ttlSeconds}, or forever when 0); later ones go to the rejected output naming that id.
 * State per kept document: one id string under one 32-character key.
 */
public class ExactDedupFunction extends KeyedProcessFunction<String, DocRecord, DocRecord> {
  private final long ttlSeconds;
  private final OutputTag<RejectedRecord> rejected;
  private transient ValueState<String> firstId;

  public ExactDedupFunction(long ttlSeconds, OutputTag<RejectedRecord> rejected) {
    this.ttlSeconds = ttlSeconds;
    this.rejected = rejected;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<String> desc = new ValueStateDescriptor<>("exact-dedup-first-id", Types.STRING);
    if (ttlSeconds > 0) {
      desc.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(ttlSeconds))
          .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
          .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
          .build());
    }
    firstId = getRuntimeContext().getState(desc);
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) throws Exception {
    String first = firstId.value();
    if (first == null) {
      firstId.update(d.id);
      out.collect(d);
    } else {
      ctx.output(rejected, RejectedRecord.of(d, "exact_dedup", "exact_dedup", "exact_duplicate", 1.0,
          "identical normalized text", first));
    }
  }
}
