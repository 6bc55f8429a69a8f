package dev.winnow.jobs.curation.dedup;

/** One band of one document on its way to the bucket of its band key. Flink POJO. */
public class BandProbe {
  public long bandKey;

  /** Unique key of the input record (its origin), where the band's answer goes. */
  public String docKey;

  public String docId;

  /** The MinHash signature when reference documents are checked, else null. */
  public long[] signature;

  /** Sorted shingle hashes when the exact Jaccard check is on, else null. */
  public long[] shingles;

  /**
   * Bottom-k sketch values when the sketch check is on ({@code sketchSize} > 0, no exact check),
   * else null; with the signature and shingles, used only against the reference set.
   */
  public int[] sketch;

  /**
   * 32-bit address of the document in the sketch store: the low bits of the XXH3 hash of {@code
   * docKey}.
   */
  public int owner;

  /** The packed b-bit one-permutation sketch that checks candidates in the sketch store. */
  public byte[] compact;

  public BandProbe() {}
}
