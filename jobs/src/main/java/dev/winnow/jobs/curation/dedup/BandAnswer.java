package dev.winnow.jobs.curation.dedup;

/**
 * What one band bucket answered for one document: its best match at or above the threshold, or
 * none. Flink POJO.
 */
public class BandAnswer {
  public String docKey;

  /** Id of the matched earlier document, or null when this band found none. */
  public String matchId;

  public String matchCluster;
  public double similarity;

  public BandAnswer() {}

  public boolean matched() {
    return matchId != null;
  }
}
