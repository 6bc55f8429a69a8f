package dev.winnow.selection.dedup.minhash;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * In-memory, bounded MinHash + LSH near-duplicate index: documents are offered in order and each is
 * either kept (starting a cluster named by its id) or declared a near-duplicate of an earlier kept
 * document. Used by file-mode dedup ({@link FileDeduplicator}) and tests; the streaming stage uses
 * the same pieces (see {@link BandBucket}).
 *
 * <p>{@link #offer} for a document with shingle set S:
 *
 * <ol>
 *   <li>S empty (shorter than one shingle): exact dedup only, on the hash of the shingler's
 *       canonical text against earlier too-short documents; counted in {@link Stats#tooShort}.
 *   <li>Otherwise sign S, compute the b band keys, and collect the kept documents in those b
 *       buckets (each at most once). Similarity to each: exact Jaccard of the shingle sets when
 *       {@link MinHashConfig#exactJaccardCheck}, else the {@link BottomKSketch} estimate when
 *       {@link MinHashConfig#sketchSize} is set, else the signature estimate.
 *   <li>The most similar candidate at or above {@link MinHashConfig#threshold} (ties: the one found
 *       first, in band order then age) makes it a {@link Decision.Duplicate}; duplicates are not
 *       indexed, so {@code duplicate_of} always names a kept document.
 *   <li>Else it is {@link Decision.Kept} and added to its b buckets, each bounded by {@link
 *       MinHashConfig#maxDocsPerBucket} (oldest evicted).
 * </ol>
 *
 * <p>Work per document: O(|S| &middot; k) to sign, plus at most b &middot; maxDocsPerBucket
 * similarity checks. Memory: one {@link BandBucket.Entry} per kept document, shared by its buckets;
 * see {@link #stateBytesPerKeptDocument()}. Not thread-safe.
 */
public final class NearDuplicateIndex {

  /**
   * Counters; {@code offered = kept + nearDuplicates} and too-short documents are counted in both.
   */
  public record Stats(
      long offered,
      long kept,
      long nearDuplicates,
      long references,
      long tooShort,
      long tooShortDuplicates,
      long similarityChecks,
      long evictions,
      long buckets,
      double stateBytesPerKeptDocument,
      double keyedStateBytesPerKeptDocument) {}

  private final MinHashConfig config;
  private final Shingler shingler;
  private final MinHasher hasher;
  private final LshBands bands;
  private final Map<Long, BandBucket> buckets = new HashMap<>();

  /** Canonical-text hash → id of the first too-short document with that text. */
  private final Map<Long, String> shortTexts = new HashMap<>();

  private final Set<BandBucket.Entry> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  private long offered;
  private long kept;
  private long nearDuplicates;
  private long references;
  private long tooShort;
  private long tooShortDuplicates;
  private long similarityChecks;
  private long evictions;
  private long indexedDocs;
  private long payloadBytes;
  private long keyedBytes;

  public NearDuplicateIndex(MinHashConfig config) {
    this.config = config.copy().validate("nearDedup");
    this.shingler = new Shingler(this.config);
    this.hasher = new MinHasher(this.config);
    this.bands = new LshBands(this.config);
  }

  public MinHashConfig config() {
    return config.copy();
  }

  /**
   * Decides on one document and, when kept, indexes it.
   *
   * @param id the document's id (names its cluster when kept)
   * @param normalizedText its text after the pipeline's normalization
   */
  public Decision offer(String id, CharSequence normalizedText) {
    offered++;
    long[] shingles = shingler.shingleSet(normalizedText);
    if (shingles.length == 0) {
      tooShort++;
      String first = shortTexts.putIfAbsent(shingler.canonicalHash(normalizedText), id);
      if (first != null) {
        tooShortDuplicates++;
        nearDuplicates++;
        return new Decision.Duplicate(id, first, 1.0, true);
      }
      kept++;
      return new Decision.Kept(id, id, true);
    }
    MinHashSignature signature = hasher.signature(shingles);
    long[] keys = bands.keys(signature);
    BottomKSketch sketch = sketchOf(shingles);
    BandBucket.Match best = bestMatch(signature, shingles, sketch, keys);
    if (best != null) {
      nearDuplicates++;
      BandBucket.Entry match = best.entry();
      return new Decision.Duplicate(id, match.docId(), match.clusterId(), best.similarity(), false);
    }
    kept++;
    index(id, signature, shingles, sketch, keys);
    return new Decision.Kept(id, id, false);
  }

  /**
   * Indexes a document of a reference corpus unconditionally (dedup against an existing corpus):
   * later documents matching it become duplicates of {@code id}. No decision is made for it.
   */
  public void addReference(String id, CharSequence normalizedText) {
    references++;
    long[] shingles = shingler.shingleSet(normalizedText);
    if (shingles.length == 0) {
      shortTexts.putIfAbsent(shingler.canonicalHash(normalizedText), id);
      return;
    }
    MinHashSignature signature = hasher.signature(shingles);
    index(id, signature, shingles, sketchOf(shingles), bands.keys(signature));
  }

  private BottomKSketch sketchOf(long[] shingles) {
    return config.usesSketchCheck()
        ? BottomKSketch.of(shingles, config.sketchSize, config.seed)
        : null;
  }

  private BandBucket.Match bestMatch(
      MinHashSignature signature, long[] shingles, BottomKSketch sketch, long[] keys) {
    boolean exact = config.exactJaccardCheck;
    double threshold = config.threshold;
    BandBucket.Entry bestEntry = null;
    double bestSim = -1;
    seen.clear();
    for (long key : keys) {
      BandBucket bucket = buckets.get(key);
      if (bucket == null) {
        continue;
      }
      for (BandBucket.Entry e : bucket.entries()) {
        // A kept document sits in up to b of these buckets: check it once.
        if (!seen.add(e)) {
          continue;
        }
        similarityChecks++;
        double s = e.similarityTo(signature, shingles, sketch, exact);
        if (s >= threshold && s > bestSim) {
          bestSim = s;
          bestEntry = e;
        }
      }
    }
    return bestEntry == null ? null : new BandBucket.Match(bestEntry, bestSim);
  }

  private void index(
      String id, MinHashSignature signature, long[] shingles, BottomKSketch sketch, long[] keys) {
    // With a sketch check the sketch replaces the signature: the entry keeps what its check needs.
    BandBucket.Entry entry =
        new BandBucket.Entry(
            id,
            id,
            sketch != null ? null : signature,
            config.exactJaccardCheck ? shingles : null,
            sketch);
    for (long key : keys) {
      BandBucket bucket =
          buckets.computeIfAbsent(key, k -> new BandBucket(config.maxDocsPerBucket));
      if (bucket.add(entry) != null) {
        evictions++;
      }
    }
    indexedDocs++;
    int entryBytes = entry.serializedBytes();
    payloadBytes += 8L * keys.length + entryBytes;
    keyedBytes += (long) keys.length * (8 + entryBytes);
  }

  /**
   * Average bytes of state per indexed (kept or reference) document in this index: its b band keys
   * (8 bytes each), its signature (8 &middot; k) or, with a sketch check, its bottom-k sketch (4
   * per value) instead, its id and cluster id (UTF-8 + 2 each), and with the exact check its
   * shingle-hash set (8 per distinct shingle). Payload bytes, as serialized; JVM object headers and
   * map overhead come on top.
   */
  public double stateBytesPerKeptDocument() {
    return indexedDocs == 0 ? 0 : (double) payloadBytes / indexedDocs;
  }

  /**
   * Average bytes per indexed document in the streaming layout of {@link BandBucket}, where each of
   * the b buckets holds its own serialized copy of the entry: b &middot; (8 + entry bytes).
   */
  public double keyedStateBytesPerKeptDocument() {
    return indexedDocs == 0 ? 0 : (double) keyedBytes / indexedDocs;
  }

  public Stats stats() {
    return new Stats(
        offered,
        kept,
        nearDuplicates,
        references,
        tooShort,
        tooShortDuplicates,
        similarityChecks,
        evictions,
        buckets.size(),
        stateBytesPerKeptDocument(),
        keyedStateBytesPerKeptDocument());
  }
}
