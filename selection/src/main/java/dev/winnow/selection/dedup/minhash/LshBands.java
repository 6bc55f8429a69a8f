package dev.winnow.selection.dedup.minhash;

import net.openhft.hashing.LongHashFunction;

/**
 * Locality-sensitive hashing by banding: a signature of b &middot; r values is cut into b bands of
 * r consecutive rows, and each band is hashed to one 64-bit band key. Two documents are candidates
 * when they share a key, i.e. agree on all r rows of some band, which for Jaccard similarity s
 * happens with probability {@code 1 - (1 - s^r)^b} (Leskovec, Rajaraman, Ullman, <i>Mining of
 * Massive Datasets</i>, 3rd ed., §3.4.2).
 *
 * <p>Key of band j: XXH3 over the band's r longs, with a hash function seeded by (seed, j); the
 * band index is folded in by the seed, so equal rows in different bands give different keys and all
 * b &middot; (buckets) can share one keyed state (a Flink job keys a single stream by it).
 *
 * <p>Thread-safe.
 */
public final class LshBands {

  private final int bands;
  private final int rows;
  private final LongHashFunction[] bandHash;

  public LshBands(MinHashConfig config) {
    this(config.bands, config.rows, config.seed);
  }

  public LshBands(int bands, int rows, long seed) {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "illegal banding " + bands + " x " + rows + ": bands and rows must be at least 1");
    }
    this.bands = bands;
    this.rows = rows;
    this.bandHash = new LongHashFunction[bands];
    for (int j = 0; j < bands; j++) {
      bandHash[j] = LongHashFunction.xx3(seed * 0x9E3779B97F4A7C15L + j);
    }
  }

  public int bands() {
    return bands;
  }

  public int rows() {
    return rows;
  }

  /** The b band keys of a signature, in band order. */
  public long[] keys(MinHashSignature signature) {
    long[] values = signature.values();
    if (values.length != bands * rows) {
      throw new IllegalArgumentException(
          "signature has "
              + values.length
              + " values, banding "
              + bands
              + " x "
              + rows
              + " needs "
              + (bands * rows));
    }
    long[] keys = new long[bands];
    for (int j = 0; j < bands; j++) {
      keys[j] = bandHash[j].hashLongs(values, j * rows, rows);
    }
    return keys;
  }

  /** Key of band {@code j} alone. */
  public long key(MinHashSignature signature, int j) {
    return bandHash[j].hashLongs(signature.values(), j * rows, rows);
  }
}
