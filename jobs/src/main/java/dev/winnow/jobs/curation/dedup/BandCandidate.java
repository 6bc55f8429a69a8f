package dev.winnow.jobs.curation.dedup;

/**
 * What a band bucket sends to the sketch store for one probe, keyed by {@code owner}: the document
 * that owns the bucket (the first to reach it). When the probing document is that owner ({@code
 * owns}), the store keeps its sketch and id; otherwise the store compares the probe's sketch with
 * the owner's. Either way the store answers the probe's band, so every band still gives exactly one
 * {@link BandAnswer}. Carries the bucket's best reference match, if any, so that the store's answer
 * is the best of both. Flink POJO.
 */
public class BandCandidate {
  /** 32-bit address of the bucket's owner in the sketch store. */
  public int owner;

  /** Whether the probing document is the bucket's owner (it just took the empty bucket). */
  public boolean owns;

  /** Unique key of the probing input record, where the answer goes. */
  public String docKey;

  /** Id of the probing document (kept by the store when it owns the bucket). */
  public String docId;

  /**
   * The probing document's packed {@link dev.winnow.selection.dedup.minhash.OnePermutationSketch}.
   */
  public byte[] sketch;

  /** Best reference match of the bucket, or null. */
  public String referenceId;

  public String referenceCluster;
  public double referenceSimilarity;

  public BandCandidate() {}
}
