package dev.winnow.jobs.curation.dedup;

import dev.winnow.selection.dedup.minhash.MinHashConfig;

/**
 * The near-dedup stage's settings: the MinHash/LSH parameters ({@code preset}, {@code shingle},
 * {@code n}, {@code bands}, {@code rows}, {@code seed}, {@code threshold}, {@code
 * exactJaccardCheck}, {@code sketchSize}, {@code maxDocsPerBucket}, {@code stateTtlHours}; see
 * {@link MinHashConfig}) plus whether the stage runs.
 *
 * <p>One default differs from {@link MinHashConfig}'s: the streaming stage checks candidates with a
 * bottom-256 sketch ({@code sketchSize: 256}). On the near-dup benchmark ({@code
 * bench/results/near-dedup.md}) that lifts the {@code datatrove} preset's pair-level F1 at t = 0.8
 * from 0.940 (signature estimate) to 0.974, for about 8% more keyed state (the sketch replaces the
 * signature in the band buckets), where the exact check costs 7 times the state.
 */
public class NearDedupConfig extends MinHashConfig {
  private static final long serialVersionUID = 1L;

  /** The streaming stage's default {@code sketchSize}. */
  public static final int DEFAULT_SKETCH_SIZE = 256;

  public boolean enabled = true;

  public NearDedupConfig() {
    sketchSize = DEFAULT_SKETCH_SIZE;
  }
}
