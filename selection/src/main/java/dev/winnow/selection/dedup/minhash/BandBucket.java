package dev.winnow.selection.dedup.minhash;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;

/**
 * The documents kept under one LSH band key: a bounded FIFO of {@link Entry entries}, oldest
 * evicted first once {@code maxEntries} ({@link MinHashConfig#maxDocsPerBucket}) is reached.
 *
 * <p>It is the unit of state of both the in-memory {@link NearDuplicateIndex} (one bucket per band
 * key, entries shared between a document's b buckets) and of the streaming stage, which should use
 * it like this:
 *
 * <ol>
 *   <li>Per document (stateless map): shingle with {@link Shingler}, sign with {@link MinHasher},
 *       cut into b keys with {@link LshBands#keys}; a document with no shingle goes past this stage
 *       marked too short (exact dedup upstream already handled it).
 *   <li>A {@code KeyedProcessFunction} keyed by band key holds a {@code ValueState<BandBucket>}
 *       (serialized with {@link #writeTo}/{@link #readFrom}; Flink state TTL gives time-based
 *       retention on top of the size bound). For each (band key, document) it answers {@link
 *       #bestMatch} ≥ threshold, or "no match".
 *   <li>The b answers of a document meet again keyed by document id; the best match over its bands
 *       decides: a near-duplicate goes to {@code rejected} with {@code duplicate_of} and the
 *       similarity, a kept document carries its cluster id (its own id).
 *   <li>Kept documents are added to their b buckets. Doing this in step 2 (add when this band found
 *       no match) avoids a feedback edge, at the price of also storing documents that matched only
 *       in another band; give such entries the cluster of their match so that later matches still
 *       name a kept document's cluster.
 * </ol>
 *
 * <p>State cost per kept document in that layout: b &middot; {@link Entry#serializedBytes()} (the
 * signature is repeated in each of its b buckets), reported by {@link
 * NearDuplicateIndex#keyedStateBytesPerKeptDocument()}. The streaming stage in {@code jobs} now
 * keeps a lighter layout: one owner per band key and the owner's {@link OnePermutationSketch}
 * stored once (see its {@code SketchStoreFunction}); it still uses buckets of this class for
 * reference documents, on the heap. Not thread-safe.
 */
public final class BandBucket {

  /**
   * One kept document in a bucket, with what the configured similarity check needs: {@code
   * shingles} is the sorted shingle-hash set when the exact Jaccard check is on, else {@code null};
   * {@code sketch} is its bottom-k sketch when {@link MinHashConfig#sketchSize} is set (and the
   * exact check is off), else {@code null}; {@code signature} may be {@code null} when a sketch or
   * the shingles stand in for it.
   */
  public record Entry(
      String docId,
      String clusterId,
      MinHashSignature signature,
      long[] shingles,
      BottomKSketch sketch) {

    public Entry {
      if (signature == null && sketch == null && shingles == null) {
        throw new IllegalArgumentException(
            "entry " + docId + " needs a signature, a sketch or shingles");
      }
    }

    /** An entry checked by the signature estimate or, with {@code shingles}, by exact Jaccard. */
    public Entry(String docId, String clusterId, MinHashSignature signature, long[] shingles) {
      this(docId, clusterId, signature, shingles, null);
    }

    /**
     * Similarity of a probe to this entry: the exact Jaccard of the shingle sets when {@code exact}
     * and both have them; else the bottom-k sketch estimate when both have a sketch; else the
     * signature estimate.
     */
    public double similarityTo(
        MinHashSignature probe, long[] probeShingles, BottomKSketch probeSketch, boolean exact) {
      if (exact && shingles != null && probeShingles != null) {
        return Shingler.jaccard(shingles, probeShingles);
      }
      if (sketch != null && probeSketch != null) {
        return sketch.jaccard(probeSketch);
      }
      if (signature == null || probe == null) {
        throw new IllegalArgumentException(
            "cannot compare a probe with entry "
                + docId
                + ": the entry holds "
                + (sketch != null ? "a bottom-k sketch" : "shingles")
                + " and no signature, the probe "
                + (probeSketch != null ? "a sketch" : "no sketch")
                + (probe == null ? " and no signature" : "")
                + " (probe and entries must come from the same sketchSize / exactJaccardCheck settings)");
      }
      return signature.jaccardEstimate(probe);
    }

    /**
     * {@link #similarityTo(MinHashSignature, long[], BottomKSketch, boolean)} without a probe
     * sketch.
     */
    public double similarityTo(MinHashSignature probe, long[] probeShingles, boolean exact) {
      return similarityTo(probe, probeShingles, null, exact);
    }

    /** Bytes of this entry in the {@link #writeTo} format. */
    public int serializedBytes() {
      return utfBytes(docId)
          + utfBytes(clusterId)
          + 4
          + (signature == null ? 0 : 8 * signature.size())
          + 4
          + (shingles == null ? 0 : 8 * shingles.length)
          + 4
          + (sketch == null ? 0 : sketch.serializedBytes());
    }
  }

  /** The best entry of a bucket for a probe, with its similarity. */
  public record Match(Entry entry, double similarity) {}

  private final int maxEntries;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  public BandBucket(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException(
          "illegal maxEntries " + maxEntries + ": must be at least 1");
    }
    this.maxEntries = maxEntries;
  }

  /** Entries, oldest first (read-only view). */
  public Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries);
  }

  public int size() {
    return entries.size();
  }

  /** Adds an entry; returns the entry evicted to stay within the bound, or {@code null}. */
  public Entry add(Entry entry) {
    Entry evicted = entries.size() >= maxEntries ? entries.pollFirst() : null;
    entries.addLast(entry);
    return evicted;
  }

  /**
   * The most similar entry at or above {@code threshold} (the oldest among equals), or {@code null}
   * when none reaches it.
   */
  public Match bestMatch(
      MinHashSignature probe, long[] probeShingles, double threshold, boolean exact) {
    return bestMatch(probe, probeShingles, null, threshold, exact);
  }

  /**
   * The most similar entry at or above {@code threshold} (the oldest among equals), or {@code
   * null}; similarity as in {@link Entry#similarityTo(MinHashSignature, long[], BottomKSketch,
   * boolean)}.
   */
  public Match bestMatch(
      MinHashSignature probe,
      long[] probeShingles,
      BottomKSketch probeSketch,
      double threshold,
      boolean exact) {
    Match best = null;
    for (Entry e : entries) {
      double s = e.similarityTo(probe, probeShingles, probeSketch, exact);
      if (s >= threshold && (best == null || s > best.similarity())) {
        best = new Match(e, s);
      }
    }
    return best;
  }

  /**
   * Writes the bucket: entry count, then per entry id, cluster, signature, shingles and bottom-k
   * sketch (each absent part as length -1; a sketch as its k, its length and its values).
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(entries.size());
    for (Entry e : entries) {
      out.writeUTF(e.docId());
      out.writeUTF(e.clusterId());
      long[] sig = e.signature() == null ? null : e.signature().values();
      out.writeInt(sig == null ? -1 : sig.length);
      if (sig != null) {
        for (long v : sig) {
          out.writeLong(v);
        }
      }
      long[] sh = e.shingles();
      out.writeInt(sh == null ? -1 : sh.length);
      if (sh != null) {
        for (long v : sh) {
          out.writeLong(v);
        }
      }
      BottomKSketch sk = e.sketch();
      out.writeInt(sk == null ? -1 : sk.k());
      if (sk != null) {
        int[] vals = sk.values();
        out.writeInt(vals.length);
        for (int v : vals) {
          out.writeInt(v);
        }
      }
    }
  }

  /** Reads a bucket written by {@link #writeTo}. */
  public static BandBucket readFrom(DataInput in, int maxEntries) throws IOException {
    BandBucket bucket = new BandBucket(maxEntries);
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String id = in.readUTF();
      String cluster = in.readUTF();
      int sigLength = in.readInt();
      long[] sig = sigLength < 0 ? null : new long[sigLength];
      for (int j = 0; j < sigLength; j++) {
        sig[j] = in.readLong();
      }
      int m = in.readInt();
      long[] sh = null;
      if (m >= 0) {
        sh = new long[m];
        for (int j = 0; j < m; j++) {
          sh[j] = in.readLong();
        }
      }
      int k = in.readInt();
      BottomKSketch sketch = null;
      if (k >= 0) {
        int[] vals = new int[in.readInt()];
        for (int j = 0; j < vals.length; j++) {
          vals[j] = in.readInt();
        }
        sketch = BottomKSketch.ofValues(k, vals);
      }
      bucket.add(
          new Entry(id, cluster, sig == null ? null : new MinHashSignature(sig), sh, sketch));
    }
    return bucket;
  }

  /**
   * Bytes of {@code s} under {@link DataOutput#writeUTF} (exact for strings without NUL or
   * surrogates).
   */
  static int utfBytes(String s) {
    return 2 + s.getBytes(StandardCharsets.UTF_8).length;
  }
}
