package dev.winnow.jobs.curation.dedup;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.selection.dedup.minhash.BottomKSketch;
import dev.winnow.selection.dedup.minhash.LshBands;
import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.MinHashSignature;
import dev.winnow.selection.dedup.minhash.MinHasher;
import dev.winnow.selection.dedup.minhash.OnePermutationSketch;
import dev.winnow.selection.dedup.minhash.Shingler;
import net.openhft.hashing.LongHashFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Near-dedup step 1 (stateless): shingles the document, signs it with MinHash and emits one {@link
 * BandProbe} per LSH band to the probe output; the document itself goes on to the decision step,
 * told how many band answers to wait for. A document shorter than one shingle waits for none: it is
 * kept here (exact dedup upstream already handled it) and counted as {@code near_dedup_too_short}.
 */
public class NearDupSignatureFunction extends ProcessFunction<DocRecord, DocRecord>
    implements CountingFunction {
  private final MinHashConfig config;
  private final OutputTag<BandProbe> probes;
  private transient Shingler shingler;
  private transient MinHasher hasher;
  private transient LshBands bands;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  private final boolean referenceCheck;

  /** A signing step whose probes carry what a reference check needs. */
  public NearDupSignatureFunction(MinHashConfig config, OutputTag<BandProbe> probes) {
    this(config, probes, true);
  }

  /**
   * @param referenceCheck whether the probes carry the signature, and the bottom-k sketch or
   *     shingles, that the band buckets check reference documents with; without a reference set
   *     they carry only the band key, ids and the 64-byte one-permutation sketch, about 2 KB less
   *     per probe for the default settings
   */
  public NearDupSignatureFunction(
      MinHashConfig config, OutputTag<BandProbe> probes, boolean referenceCheck) {
    this.config = config;
    this.probes = probes;
    this.referenceCheck = referenceCheck;
  }

  @Override
  public void open(OpenContext openContext) {
    shingler = new Shingler(config);
    hasher = new MinHasher(config);
    bands = new LshBands(config);
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<DocRecord> out) {
    long[] shingles = shingler.shingleSet(d.text);
    if (shingles.length == 0) {
      counters.inc("near_dedup_too_short");
      d.pendingBands = 0;
      out.collect(d);
      return;
    }
    MinHashSignature sig = hasher.signature(shingles);
    long[] keys = bands.keys(sig);
    int[] sketch =
        referenceCheck && config.usesSketchCheck()
            ? BottomKSketch.of(shingles, config.sketchSize, config.seed).values()
            : null;
    byte[] compact =
        OnePermutationSketch.of(
                shingles,
                OnePermutationSketch.DEFAULT_BINS,
                OnePermutationSketch.DEFAULT_BITS,
                config.seed)
            .packed();
    int owner = (int) LongHashFunction.xx3().hashChars(d.origin);
    d.pendingBands = keys.length;
    out.collect(d);
    for (long key : keys) {
      BandProbe p = new BandProbe();
      p.bandKey = key;
      p.docKey = d.origin;
      p.docId = d.id;
      p.signature = referenceCheck ? sig.values() : null;
      p.shingles = referenceCheck && config.exactJaccardCheck ? shingles : null;
      p.sketch = sketch;
      p.owner = owner;
      p.compact = compact;
      ctx.output(probes, p);
    }
  }
}
