package dev.winnow.jobs.curation.dedup;

import dev.winnow.selection.dedup.ExactDedupKey;
import dev.winnow.selection.dedup.minhash.BandBucket;
import dev.winnow.selection.dedup.minhash.BottomKSketch;
import dev.winnow.selection.dedup.minhash.LshBands;
import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.MinHashSignature;
import dev.winnow.selection.dedup.minhash.MinHasher;
import dev.winnow.selection.dedup.minhash.Shingler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Builds the part of a dedup stage's reference index that one parallel subtask owns: every subtask
 * reads the whole {@link ReferenceSet} and keeps the entries whose key falls into its own key
 * groups ({@code owns}), so the reference entries sit where the live documents with the same key
 * are decided, and together the subtasks hold each entry once.
 */
final class ReferenceIndex {
  private ReferenceIndex() {}

  /**
   * Exact-dedup keys of the reference documents: key → id of the first reference document with that
   * text.
   */
  record ExactKeys(Map<String, String> firstIdByKey, ReferenceSet.Loaded loaded) {}

  /**
   * Band buckets of the reference documents, per band key ({@code maxDocsPerBucket} per bucket,
   * oldest evicted), entries shaped like those of kept live documents (a reference document is its
   * own cluster). {@code indexed} counts documents with at least one shingle; {@code bytes} is the
   * serialized size of the owned entries plus 8 bytes per band key.
   */
  record Bands(
      Map<Long, BandBucket> buckets, ReferenceSet.Loaded loaded, long indexed, long bytes) {}

  static ExactKeys exactKeys(ReferenceSet set, ReferenceText text, Predicate<String> owns) {
    Map<String, String> keys = new HashMap<>();
    ReferenceSet.Loaded loaded =
        set.forEach(
            d -> {
              String key = ExactDedupKey.of(text.prepare(d.text()));
              if (owns.test(key)) {
                keys.putIfAbsent(key, d.id());
              }
            });
    return new ExactKeys(keys, loaded);
  }

  static Bands bands(
      ReferenceSet set, ReferenceText text, MinHashConfig config, LongPredicate owns) {
    Shingler shingler = new Shingler(config);
    MinHasher hasher = new MinHasher(config);
    LshBands lsh = new LshBands(config);
    Map<Long, BandBucket> buckets = new HashMap<>();
    long[] indexed = {0};
    long[] bytes = {0};
    ReferenceSet.Loaded loaded =
        set.forEach(
            d -> {
              long[] shingles = shingler.shingleSet(text.prepare(d.text()));
              if (shingles.length == 0) {
                return; // shorter than one shingle: exact dedup covers it, as for live documents
              }
              indexed[0]++;
              MinHashSignature sig = hasher.signature(shingles);
              BottomKSketch sketch =
                  config.usesSketchCheck()
                      ? BottomKSketch.of(shingles, config.sketchSize, config.seed)
                      : null;
              BandBucket.Entry entry =
                  new BandBucket.Entry(
                      d.id(),
                      d.id(),
                      sketch != null ? null : sig,
                      config.exactJaccardCheck ? shingles : null,
                      sketch);
              for (long key : lsh.keys(sig)) {
                if (!owns.test(key)) {
                  continue;
                }
                BandBucket bucket = buckets.get(key);
                if (bucket == null) {
                  bucket = new BandBucket(config.maxDocsPerBucket);
                  buckets.put(key, bucket);
                  bytes[0] += 8;
                }
                BandBucket.Entry evicted = bucket.add(entry);
                bytes[0] +=
                    entry.serializedBytes() - (evicted == null ? 0 : evicted.serializedBytes());
              }
            });
    return new Bands(buckets, loaded, indexed[0], bytes[0]);
  }
}
