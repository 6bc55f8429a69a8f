package dev.winnow.jobs.curation.dedup;

/** One band of one document on its way to the bucket of its band key. Flink POJO. */
public class BandProbe {
  public long bandKey;

  /** Unique key of the input record (its origin), where the band's answer goes. */
  public String docKey;

  public String docId;
  public long[] signature;

  /** Sorted shingle hashes when the exact Jaccard check is on, else null. */
  public long[] shingles;

  /**
   * Bottom-k sketch values when the sketch check is on ({@code sketchSize} > 0, no exact check),
   * else null.
   */
  public int[] sketch;

  public BandProbe() {}
}
