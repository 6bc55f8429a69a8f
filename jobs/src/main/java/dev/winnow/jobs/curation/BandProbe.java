package dev.winnow.jobs.curation;

/** One band of one document on its way to the bucket of its band key. Flink POJO. */
public class BandProbe {
  public long bandKey;
  /** Unique key of the input record (its origin), where the band's answer goes. */
  public String docKey;
  public String docId;
  public long[] signature;
  /** Sorted shingle hashes when the exact Jaccard check is on, else null. */
  public long[] shingles;

  public BandProbe() {}
}
