package dev.winnow.selection.dedup.minhash;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;

/**
 * Settings of MinHash + LSH near-duplicate detection: how text becomes shingles, how many
 * permutations and how they are banded, the similarity threshold and how much state is kept.
 *
 * <p>A plain bean so that Jackson can bind it from the YAML configuration: public fields with
 * defaults (the {@code datatrove} preset, threshold 0.8). Setting {@link #preset} through {@link
 * #setPreset(String)} (which Jackson uses) overwrites {@code shingle}, {@code n}, {@code bands} and
 * {@code rows} with the preset's values; fields that come after it in the YAML override the preset
 * again, so write {@code preset} first:
 *
 * <pre>{@code
 * nearDedup:
 *   preset: nemo        # char 24-grams, 20 bands x 13 rows
 *   threshold: 0.8
 *   bands: 16           # any field may still be set after the preset
 * }</pre>
 *
 * <p>Presets are named after where their numbers come from:
 *
 * <ul>
 *   <li>{@code datatrove}: word 5-grams, 14 bands &times; 8 rows = 112 permutations, the defaults
 *       of HuggingFace datatrove's {@code MinhashConfig} (n_grams=5, num_buckets=14,
 *       hashes_per_bucket=8).
 *   <li>{@code nemo}: character 24-grams, 20 bands &times; 13 rows = 260 permutations, the defaults
 *       of NVIDIA NeMo Curator's fuzzy deduplication (char_ngrams=24, num_buckets=20,
 *       hashes_per_bucket=13).
 * </ul>
 *
 * <p>With b bands of r rows, two documents whose shingle sets have Jaccard similarity s become LSH
 * candidates with probability {@code P(s) = 1 - (1 - s^r)^b} (Leskovec, Rajaraman, Ullman,
 * <i>Mining of Massive Datasets</i>, ch. 3.4); the curve crosses 1/2 near {@code s* = (1/b)^(1/r)}.
 * See {@link #detectionProbability(double)}.
 *
 * <p>Call {@link #validate(String)} once after binding; the other classes assume a valid config.
 */
public class MinHashConfig implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** What a shingle is made of. */
  public enum ShingleKind {
    /** n consecutive words (letters/digits runs, lowercased); see {@link Shingler}. */
    WORD,
    /** n consecutive characters of the whitespace-collapsed, lowercased text. */
    CHAR
  }

  /**
   * Name of the preset these values came from ({@code datatrove}, {@code nemo}) or {@code custom}.
   */
  public String preset = "datatrove";

  /** Word or character shingles. */
  public ShingleKind shingle = ShingleKind.WORD;

  /**
   * Shingle length: words for {@link ShingleKind#WORD}, characters for {@link ShingleKind#CHAR};
   * 1..1000.
   */
  public int n = 5;

  /** Number of LSH bands b; 1..1000. */
  public int bands = 14;

  /** Rows (permutations) per band r; 1..1000; b &middot; r permutations in all, at most 4096. */
  public int rows = 8;

  /**
   * Seed of the permutations and band keys; two indexes compare only when their seeds (and b, r, n)
   * agree.
   */
  public long seed = 42L;

  /** A candidate is a near-duplicate when its similarity is at or above this; (0, 1]. */
  public double threshold = 0.8;

  /**
   * Confirm candidates with the exact Jaccard similarity of the shingle-hash sets instead of the
   * signature estimate: removes the estimate's false positives, at the cost of keeping each kept
   * document's shingle hashes in state (8 bytes per distinct shingle).
   */
  public boolean exactJaccardCheck = false;

  /**
   * Verify candidates with a {@link BottomKSketch} of this many shingle hashes (4 bytes each)
   * instead of the signature estimate; the sketch then replaces the signature in state. 0 = off
   * (signature estimate). Ignored when {@link #exactJaccardCheck} is on. 0 or 16..65,536.
   */
  public int sketchSize = 0;

  /**
   * Retention: the most documents one band bucket keeps; the oldest is evicted first. Bounds the
   * work per document at b &middot; maxDocsPerBucket comparisons. 1..1,000,000.
   */
  public int maxDocsPerBucket = 64;

  /**
   * Retention by time for the streaming stage: hours a band bucket lives in keyed state after its
   * last write (Flink state TTL); 0 keeps buckets until size eviction alone. 0..87,600 (10 years).
   * The in-memory {@link NearDuplicateIndex} has no clock and ignores it.
   */
  public long stateTtlHours = 0;

  /** The {@code datatrove} preset with the default threshold. */
  public static MinHashConfig datatrove() {
    MinHashConfig c = new MinHashConfig();
    c.setPreset("datatrove");
    return c;
  }

  /** The {@code nemo} preset with the default threshold. */
  public static MinHashConfig nemo() {
    MinHashConfig c = new MinHashConfig();
    c.setPreset("nemo");
    return c;
  }

  /** A config with the named preset's values; see {@link #setPreset(String)}. */
  public static MinHashConfig ofPreset(String name) {
    MinHashConfig c = new MinHashConfig();
    c.setPreset(name);
    return c;
  }

  /**
   * Applies a preset: {@code datatrove} (WORD, n=5, 14 &times; 8), {@code nemo} (CHAR, n=24, 20
   * &times; 13) or {@code custom} (leaves the values as they are).
   *
   * @throws IllegalArgumentException for any other name
   */
  public void setPreset(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (key) {
      case "datatrove" -> set(ShingleKind.WORD, 5, 14, 8);
      case "nemo" -> set(ShingleKind.CHAR, 24, 20, 13);
      case "custom" -> {}
      default ->
          throw new IllegalArgumentException(
              "unknown near-dedup preset '"
                  + name
                  + "': use datatrove (word 5-grams, 14x8), nemo (char 24-grams, 20x13) or custom");
    }
    this.preset = key;
  }

  private void set(ShingleKind kind, int n, int bands, int rows) {
    this.shingle = kind;
    this.n = n;
    this.bands = bands;
    this.rows = rows;
  }

  /**
   * Whether candidates are verified with a bottom-k sketch: {@link #sketchSize} set and no exact
   * check.
   */
  public boolean usesSketchCheck() {
    return sketchSize > 0 && !exactJaccardCheck;
  }

  /** Number of permutations k = b &middot; r, the length of a signature. */
  public int numPermutations() {
    return bands * rows;
  }

  /**
   * Probability that a pair with Jaccard similarity {@code s} shares at least one band: 1 − (1 −
   * s^r)^b.
   */
  public double detectionProbability(double s) {
    return 1.0 - Math.pow(1.0 - Math.pow(s, rows), bands);
  }

  /**
   * The similarity where the detection curve is steepest, about where it crosses 1/2: (1/b)^(1/r).
   */
  public double curveMidpoint() {
    return Math.pow(1.0 / bands, 1.0 / rows);
  }

  /**
   * Checks every field; returns this for chaining.
   *
   * @param path where this config sits in the configuration (e.g. {@code curation.nearDedup}), used
   *     in messages
   * @throws IllegalArgumentException naming the field's path, the bad value and the allowed range
   */
  public MinHashConfig validate(String path) {
    String p = path == null || path.isEmpty() ? "" : path + ".";
    if (shingle == null) {
      throw new IllegalArgumentException(p + "shingle is missing: must be WORD or CHAR");
    }
    checkRange(p + "n", n, 1, 1000);
    checkRange(p + "bands", bands, 1, 1000);
    checkRange(p + "rows", rows, 1, 1000);
    if ((long) bands * rows > 4096) {
      throw new IllegalArgumentException(
          p
              + "bands * rows = "
              + ((long) bands * rows)
              + " permutations is too many: must be at most 4096 (lower bands or rows)");
    }
    if (!(threshold > 0.0 && threshold <= 1.0)) {
      throw new IllegalArgumentException(
          "illegal " + p + "threshold value " + threshold + ": must be in (0, 1], e.g. 0.8");
    }
    if (sketchSize != 0 && (sketchSize < 16 || sketchSize > 65_536)) {
      throw new IllegalArgumentException(
          "illegal "
              + p
              + "sketchSize value "
              + sketchSize
              + ": must be 0 (verify with the signature estimate) or in [16, 65536], e.g. 256");
    }
    checkRange(p + "maxDocsPerBucket", maxDocsPerBucket, 1, 1_000_000);
    if (stateTtlHours < 0 || stateTtlHours > 87_600) {
      throw new IllegalArgumentException(
          "illegal "
              + p
              + "stateTtlHours value "
              + stateTtlHours
              + ": must be in [0, 87600] (0 = no time-based retention)");
    }
    return this;
  }

  private static void checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "illegal " + field + " value " + value + ": must be in [" + min + ", " + max + "]");
    }
  }

  /** A copy, so that a caller can tweak one field without changing a shared config. */
  public MinHashConfig copy() {
    MinHashConfig c = new MinHashConfig();
    c.preset = preset;
    c.shingle = shingle;
    c.n = n;
    c.bands = bands;
    c.rows = rows;
    c.seed = seed;
    c.threshold = threshold;
    c.exactJaccardCheck = exactJaccardCheck;
    c.sketchSize = sketchSize;
    c.maxDocsPerBucket = maxDocsPerBucket;
    c.stateTtlHours = stateTtlHours;
    return c;
  }

  @Override
  public String toString() {
    return preset
        + "("
        + shingle.name().toLowerCase(Locale.ROOT)
        + " "
        + n
        + "-grams, "
        + bands
        + "x"
        + rows
        + ", threshold "
        + threshold
        + (exactJaccardCheck
            ? ", exact check"
            : sketchSize > 0 ? ", bottom-" + sketchSize + " sketch check" : "")
        + ")";
  }
}
