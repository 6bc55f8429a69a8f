package dev.winnow.jobs.curation;

import dev.winnow.selection.dedup.minhash.MinHashConfig;

/**
 * The near-dedup stage's settings: the MinHash/LSH parameters ({@code preset}, {@code shingle}, {@code n},
 * {@code bands}, {@code rows}, {@code seed}, {@code threshold}, {@code exactJaccardCheck}, {@code maxDocsPerBucket},
 * {@code stateTtlHours}; see {@link MinHashConfig}) plus whether the stage runs.
 */
public class NearDedupConfig extends MinHashConfig {
  private static final long serialVersionUID = 1L;
  public boolean enabled = true;
}
