package dev.winnow.jobs.curation.dedup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.common.RuleCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Near-dedup step 3, keyed by the input record: waits for the document and all of its band answers
 * (they arrive in any order), then decides. Any band with a match makes it a near-duplicate of the
 * most similar match: it goes to {@code rejected} with rule {@code near_duplicate}, the similarity
 * as the value, and {@code duplicate_of}. Otherwise it is kept with {@code meta.winnow.cluster} =
 * its own id. State is cleared once decided.
 */
public class NearDupDecisionFunction
    extends KeyedCoProcessFunction<String, DocRecord, BandAnswer, DocRecord>
    implements CountingFunction {
  private final double threshold;
  private final OutputTag<RejectedRecord> rejected;
  private transient ValueState<DocRecord> pending;
  private transient ValueState<Integer> answers;
  private transient ValueState<BandAnswer> best;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  public NearDupDecisionFunction(double threshold, OutputTag<RejectedRecord> rejected) {
    this.threshold = threshold;
    this.rejected = rejected;
  }

  @Override
  public void open(OpenContext openContext) {
    pending =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("near-dup-doc", TypeInformation.of(DocRecord.class)));
    answers =
        getRuntimeContext().getState(new ValueStateDescriptor<>("near-dup-answers", Types.INT));
    best =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("near-dup-best", TypeInformation.of(BandAnswer.class)));
  }

  @Override
  public void processElement1(DocRecord d, Context ctx, Collector<DocRecord> out) throws Exception {
    pending.update(d);
    decideIfComplete(ctx, out);
  }

  @Override
  public void processElement2(BandAnswer a, Context ctx, Collector<DocRecord> out)
      throws Exception {
    Integer n = answers.value();
    answers.update(n == null ? 1 : n + 1);
    if (a.matched()) {
      BandAnswer b = best.value();
      if (b == null || a.similarity > b.similarity) {
        best.update(a);
      }
    }
    decideIfComplete(ctx, out);
  }

  private void decideIfComplete(Context ctx, Collector<DocRecord> out) throws Exception {
    DocRecord d = pending.value();
    if (d == null) {
      return;
    }
    Integer n = answers.value();
    if ((n == null ? 0 : n) < d.pendingBands) {
      return;
    }
    BandAnswer b = best.value();
    pending.clear();
    answers.clear();
    best.clear();
    d.pendingBands = 0;
    if (b != null) {
      RejectedRecord r =
          RejectedRecord.of(
              d,
              "near_dedup",
              "minhash_lsh",
              "near_duplicate",
              b.similarity,
              ">= " + threshold,
              b.matchId);
      r.cluster = b.matchCluster;
      ctx.output(rejected, r);
    } else {
      counters.inc("near_dedup_kept");
      ObjectNode a =
          d.annotations == null ? DocumentJson.mapper().createObjectNode() : read(d.annotations);
      a.put("cluster", d.id);
      d.annotations = a.toString();
      out.collect(d);
    }
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) DocumentJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
