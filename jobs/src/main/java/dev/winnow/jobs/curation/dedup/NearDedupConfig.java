package dev.winnow.jobs.curation.dedup;

import dev.winnow.selection.dedup.minhash.MinHashConfig;

/**
 * The near-dedup stage's settings: the MinHash/LSH parameters ({@code preset}, {@code shingle},
 * {@code n}, {@code bands}, {@code rows}, {@code seed}, {@code threshold}, {@code
 * exactJaccardCheck}, {@code sketchSize}, {@code maxDocsPerBucket}, {@code stateTtlHours}; see
 * {@link MinHashConfig}) plus whether the stage runs.
 *
 * <p>Live candidates are checked in the {@link SketchStoreFunction} with a fixed 64-byte b-bit
 * one-permutation sketch stored once per bucket owner, whatever these fields say: {@code
 * maxDocsPerBucket} does not apply (a band bucket has one owner), and {@code sketchSize} / {@code
 * exactJaccardCheck} choose only how reference documents (heap buckets rebuilt at start) are
 * checked. One default differs from {@link MinHashConfig}'s for that reference check: a bottom-256
 * sketch ({@code sketchSize: 256}), which on the near-dup benchmark ({@code
 * bench/results/near-dedup.md}) lifts the {@code datatrove} preset's pair-level F1 at t = 0.8 from
 * 0.940 (signature estimate) to 0.974.
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
