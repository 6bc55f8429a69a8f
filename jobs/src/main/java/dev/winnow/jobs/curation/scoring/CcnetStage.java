package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.ccnet.PerplexityBucket;
import dev.winnow.selection.ccnet.PerplexityBuckets;
import dev.winnow.selection.ccnet.PerplexityBucketsConfig;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The CCNet stage: {@code meta.winnow.ccnet = {bucket, head_cut, tail_cut}} by {@link
 * PerplexityBuckets} over the perplexity at {@code ccnet.perplexityField}. The cut points are
 * given, or learned at the percentiles from the perplexities of the warm-up sample ({@link
 * WarmUpOperator}); documents of the sample without a perplexity do not count towards the
 * percentiles. A document without a perplexity is {@code tail}, as {@link PerplexityBuckets} has it
 * for NaN. If no document of a subtask's warm-up sample had a perplexity, nothing can be learned:
 * that subtask writes {@code tail} with null cut points.
 */
public final class CcnetStage implements WarmUpStage<double[]> {
  private static final long serialVersionUID = 1L;

  private final PerplexityBucketsConfig config;
  private final String field;
  private transient PerplexityBuckets buckets;

  public CcnetStage(CcnetSection cfg) {
    this.config = cfg.buckets();
    config.validate("ccnet");
    this.field = cfg.perplexityField;
  }

  @Override
  public TypeInformation<double[]> fittedType() {
    return PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO;
  }

  @Override
  public void open() {}

  @Override
  public double[] given() {
    return config.hasCuts() ? new double[] {config.headCut, config.tailCut} : null;
  }

  @Override
  public double[] fit(List<DocRecord> sample) {
    double[] values =
        sample.stream()
            .mapToDouble(d -> Annotations.number(d, field))
            .filter(v -> !Double.isNaN(v))
            .toArray();
    if (values.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    PerplexityBuckets b = PerplexityBuckets.fit(config, values);
    return new double[] {b.headCut(), b.tailCut()};
  }

  @Override
  public void use(double[] fitted) {
    buckets = Double.isNaN(fitted[0]) ? null : new PerplexityBuckets(fitted[0], fitted[1]);
  }

  @Override
  public void annotate(DocRecord d) {
    double ppl = Annotations.number(d, field);
    PerplexityBucket bucket = buckets == null ? PerplexityBucket.TAIL : buckets.bucket(ppl);
    d.annotations =
        Annotations.with(
            d.annotations,
            "ccnet",
            o -> {
              o.put("bucket", bucket.label());
              Annotations.putFinite(
                  o, "head_cut", buckets == null ? Double.NaN : buckets.headCut());
              Annotations.putFinite(
                  o, "tail_cut", buckets == null ? Double.NaN : buckets.tailCut());
            });
  }
}
