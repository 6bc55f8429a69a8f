package dev.winnow.jobs.curation.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.selection.dedup.ExactDedupKey;
import dev.winnow.selection.dedup.minhash.BandBucket;
import dev.winnow.selection.dedup.minhash.BottomKSketch;
import dev.winnow.selection.dedup.minhash.LshBands;
import dev.winnow.selection.dedup.minhash.MinHashSignature;
import dev.winnow.selection.dedup.minhash.MinHasher;
import dev.winnow.selection.dedup.minhash.Shingler;
import dev.winnow.selection.normalize.TextNormalizer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a reference set from files into the exact-dedup keys and the LSH band buckets of the
 * curation job.
 */
class ReferenceIndexTest {
  @TempDir Path dir;

  private static String article(long seed) {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < 12; line++) {
      for (int w = 0; w < 14; w++) {
        sb.append(w == 0 ? "Word" : " word").append(rnd.nextInt(5000));
      }
      sb.append(".\n");
    }
    return sb.toString().trim();
  }

  private CurationConfig configWith(Path... files) {
    CurationConfig cfg = new CurationConfig();
    for (Path f : files) {
      cfg.reference.files.add(f.toString());
    }
    return cfg.validate();
  }

  private Path writeJsonl(String name, List<Document> docs, boolean gzip, String... extraLines)
      throws Exception {
    Path f = dir.resolve(name);
    StringBuilder sb = new StringBuilder();
    for (Document d : docs) {
      sb.append(DocumentJson.toJson(d)).append('\n');
    }
    for (String l : extraLines) {
      sb.append(l).append('\n');
    }
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  @Test
  void filesAreReadInOrderAndBadLinesAreCountedNotFatal() throws Exception {
    Path a =
        writeJsonl(
            "a.jsonl",
            List.of(new Document("r1", article(1), "news", Map.of())),
            false,
            "{\"id\": \"broken\"");
    Path b =
        writeJsonl(
            "b.jsonl.gz",
            List.of(
                new Document("r2", article(2), "news", Map.of()),
                new Document("r3", article(3), "news", Map.of())),
            true);
    ReferenceSet set = configWith(a, b).pinReference();
    List<String> ids = new ArrayList<>();
    ReferenceSet.Loaded loaded = set.forEach(d -> ids.add(d.id()));
    assertEquals(List.of("r1", "r2", "r3"), ids);
    assertEquals(new ReferenceSet.Loaded(3, 1), loaded);
  }

  @Test
  void noReferenceConfiguredMeansNoSet() {
    assertNull(new CurationConfig().pinReference());
  }

  @Test
  void aMissingFileIsNamedWithItsConfigPath() {
    CurationConfig cfg = configWith(dir.resolve("there.jsonl"), dir.resolve("missing.jsonl.gz"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> cfg.pinReference());
    assertTrue(e.getMessage().startsWith("reference.files[0]: "), e.getMessage());
    assertTrue(
        e.getMessage().contains(dir.resolve("there.jsonl").toString())
            && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void configRejectsTheInputTopicAsReference() {
    CurationConfig cfg = new CurationConfig();
    cfg.reference.topic = cfg.topics.input;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cfg::validate);
    assertTrue(
        e.getMessage().contains("reference.topic") && e.getMessage().contains("input topic"),
        e.getMessage());
    CurationConfig off = new CurationConfig();
    off.reference.files.add("x.jsonl");
    off.exactDedup.enabled = false;
    off.nearDedup.enabled = false;
    assertThrows(IllegalArgumentException.class, off::validate);
  }

  @Test
  void exactKeysMatchWhatTheJobComputesForALiveCopy() throws Exception {
    String text = article(4);
    // the reference copy arrives raw (CRLF, doubled spaces, a line C4 removes); the live copy
    // arrives normalized
    String raw = text.replace("\n", "\r\n").replace(" ", "  ") + "\r\nshort line\r\n";
    Path f =
        writeJsonl(
            "ref.jsonl",
            List.of(
                new Document("r1", raw, "news", Map.of()),
                new Document("r1-again", text, "news", Map.of())),
            false);
    CurationConfig cfg = configWith(f);
    ReferenceIndex.ExactKeys keys =
        ReferenceIndex.exactKeys(cfg.pinReference(), cfg.referenceText(), k -> true);
    String liveKey = ExactDedupKey.of(new TextNormalizer().normalize(text));
    assertEquals(
        Map.of(liveKey, "r1"), keys.firstIdByKey(), "one key, naming the first reference document");
    assertEquals(new ReferenceSet.Loaded(2, 0), keys.loaded());
  }

  @Test
  void bandBucketsAnswerANearCopyWithTheReferenceIdAndSplitByOwner() throws Exception {
    List<Document> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      refs.add(new Document("ref-" + i, article(100 + i), "news", Map.of()));
    }
    refs.add(new Document("tiny", "Too short.", "news", Map.of()));
    CurationConfig cfg = configWith(writeJsonl("refs.jsonl", refs, false));
    ReferenceSet set = cfg.pinReference();
    ReferenceText text = cfg.referenceText();

    ReferenceIndex.Bands all = ReferenceIndex.bands(set, text, cfg.nearDedup, k -> true);
    assertEquals(21, all.loaded().documents());
    assertEquals(20, all.indexed(), "the document shorter than one shingle is left to exact dedup");
    assertEquals(
        20 * cfg.nearDedup.bands, all.buckets().values().stream().mapToInt(BandBucket::size).sum());

    // a live near copy of ref-7 (one word changed, a header added) finds ref-7 in the buckets of
    // its band keys
    String near = "Breaking news.\n" + article(107).replaceFirst("word\\d+", "changed");
    long[] shingles = new Shingler(cfg.nearDedup).shingleSet(near);
    MinHashSignature sig = new MinHasher(cfg.nearDedup).signature(shingles);
    BottomKSketch sketch = BottomKSketch.of(shingles, cfg.nearDedup.sketchSize, cfg.nearDedup.seed);
    BandBucket.Match best = null;
    for (long key : new LshBands(cfg.nearDedup).keys(sig)) {
      BandBucket b = all.buckets().get(key);
      BandBucket.Match m =
          b == null ? null : b.bestMatch(sig, null, sketch, cfg.nearDedup.threshold, false);
      if (m != null && (best == null || m.similarity() > best.similarity())) {
        best = m;
      }
    }
    assertNotNull(best, "the near copy is found");
    assertEquals("ref-7", best.entry().docId());
    assertEquals("ref-7", best.entry().clusterId());
    assertNotNull(
        best.entry().sketch(), "the streaming default checks candidates with a bottom-k sketch");
    assertNull(best.entry().signature(), "the sketch replaces the signature in the entry");

    // two subtasks that split the keys hold every entry exactly once between them
    ReferenceIndex.Bands even = ReferenceIndex.bands(set, text, cfg.nearDedup, k -> (k & 1) == 0);
    ReferenceIndex.Bands odd = ReferenceIndex.bands(set, text, cfg.nearDedup, k -> (k & 1) != 0);
    Set<Long> keys = new HashSet<>(even.buckets().keySet());
    keys.retainAll(odd.buckets().keySet());
    assertTrue(keys.isEmpty());
    assertEquals(all.buckets().size(), even.buckets().size() + odd.buckets().size());
    assertEquals(all.bytes(), even.bytes() + odd.bytes());
  }
}
