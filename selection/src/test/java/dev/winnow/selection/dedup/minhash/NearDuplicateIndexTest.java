package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NearDuplicateIndexTest {

  private record Doc(String id, String text, String origin) {}

  /**
   * 60 originals of 300 random words; each followed later by 2 copies with 1% of words substituted
   * (exact Jaccard under word 5-grams about 0.9, under char 24-grams about 0.85): the copies must
   * be duplicates of their original, the originals all kept.
   */
  private static List<Doc> corpus(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Doc> originals = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      originals.add(new Doc("orig-" + i, TestTexts.randomText(r, 300), "orig-" + i));
    }
    List<Doc> docs = new ArrayList<>(originals);
    for (int copy = 0; copy < 2; copy++) {
      for (Doc o : originals) {
        docs.add(new Doc(o.id() + "-copy" + copy, TestTexts.substitute(r, o.text(), 0.01), o.id()));
      }
    }
    return docs;
  }

  @ParameterizedTest
  @CsvSource({"datatrove,false", "datatrove,true", "nemo,false", "nemo,true"})
  void findsEditedCopiesAndKeepsOriginals(String preset, boolean exact) {
    MinHashConfig c = MinHashConfig.ofPreset(preset);
    c.exactJaccardCheck = exact;
    c.threshold = 0.7;
    NearDuplicateIndex index = new NearDuplicateIndex(c);
    Shingler shingler = new Shingler(c);
    int duplicatesFound = 0;
    for (Doc d : corpus(5)) {
      Decision decision = index.offer(d.id(), d.text());
      if (d.id().equals(d.origin())) {
        assertInstanceOf(Decision.Kept.class, decision, d.id());
        assertEquals(d.id(), decision.cluster());
      } else if (!decision.kept()) {
        Decision.Duplicate dup = (Decision.Duplicate) decision;
        assertEquals(d.origin(), dup.duplicateOf(), d.id());
        assertTrue(dup.similarity() >= 0.7);
        if (exact) {
          // With the exact check the reported similarity is the exact Jaccard.
          double j =
              Shingler.jaccard(
                  shingler.shingleSet(d.text()), shingler.shingleSet(originalText(d.origin())));
          assertEquals(j, dup.similarity(), 1e-12);
        }
        duplicatesFound++;
      }
    }
    NearDuplicateIndex.Stats s = index.stats();
    assertEquals(180, s.offered());
    assertEquals(s.offered(), s.kept() + s.nearDuplicates());
    // Copies at J ~ 0.85-0.9 are found with probability > 0.99 under both presets.
    assertTrue(duplicatesFound >= 117, preset + " found " + duplicatesFound + " of 120");
    assertEquals(0, s.tooShort());
    assertTrue(s.stateBytesPerKeptDocument() > 8 * c.numPermutations());
    assertTrue(s.keyedStateBytesPerKeptDocument() > c.bands * 8.0 * c.numPermutations());
  }

  private static String originalText(String originId) {
    return corpus(5).stream().filter(d -> d.id().equals(originId)).findFirst().orElseThrow().text();
  }

  @Test
  void identicalTextsCollideAndUnrelatedTextsDoNot() {
    NearDuplicateIndex index = new NearDuplicateIndex(MinHashConfig.datatrove());
    SplittableRandom r = new SplittableRandom(9);
    String a = TestTexts.randomText(r, 200);
    assertTrue(index.offer("a", a).kept());
    for (int i = 0; i < 50; i++) {
      assertTrue(index.offer("u" + i, TestTexts.randomText(r, 200)).kept());
    }
    Decision d = index.offer("a2", a);
    assertEquals(new Decision.Duplicate("a2", "a", 1.0, false), d);
    assertEquals(0, index.stats().nearDuplicates() - 1);
  }

  @Test
  void tooShortDocumentsAreExactDedupedAndCounted() {
    NearDuplicateIndex index = new NearDuplicateIndex(MinHashConfig.datatrove());
    assertEquals(new Decision.Kept("s1", "s1", true), index.offer("s1", "Hello there, world"));
    assertEquals(
        new Decision.Duplicate("s2", "s1", 1.0, true), index.offer("s2", "hello THERE world!"));
    assertEquals(new Decision.Kept("s3", "s3", true), index.offer("s3", "hello world there"));
    assertEquals(new Decision.Kept("e", "e", true), index.offer("e", ""));
    NearDuplicateIndex.Stats s = index.stats();
    assertEquals(4, s.tooShort());
    assertEquals(1, s.tooShortDuplicates());
    assertEquals(0, s.buckets());
  }

  @Test
  void clusterIdsAreStableAcrossRuns() {
    List<String> first = run(MinHashConfig.nemo());
    List<String> second = run(MinHashConfig.nemo());
    assertEquals(first, second);
    assertTrue(
        first.stream().allMatch(c -> c.startsWith("orig-")),
        "every cluster is named by its original");
  }

  private static List<String> run(MinHashConfig c) {
    NearDuplicateIndex index = new NearDuplicateIndex(c);
    List<String> clusters = new ArrayList<>();
    for (Doc d : corpus(6)) {
      clusters.add(index.offer(d.id(), d.text()).cluster());
    }
    return clusters;
  }

  @Test
  void referencesAreMatchedButNotDecided() {
    NearDuplicateIndex index = new NearDuplicateIndex(MinHashConfig.datatrove());
    String text = TestTexts.randomText(new SplittableRandom(4), 100);
    index.addReference("ref-1", text);
    Decision d = index.offer("new-1", text);
    assertFalse(d.kept());
    assertEquals("ref-1", d.cluster());
    NearDuplicateIndex.Stats s = index.stats();
    assertEquals(1, s.offered());
    assertEquals(1, s.references());
  }

  @Test
  void bucketBoundEvictsOldDocuments() {
    MinHashConfig c = MinHashConfig.datatrove();
    c.maxDocsPerBucket = 1;
    c.threshold = 1.0;
    c.exactJaccardCheck = true;
    NearDuplicateIndex index = new NearDuplicateIndex(c);
    // Near-identical texts share most bands but stay below threshold 1.0, so each one is kept
    // and pushes the previous one out of the shared (full) buckets.
    SplittableRandom r = new SplittableRandom(8);
    String base = TestTexts.randomText(r, 400);
    index.offer("a", base + " one");
    index.offer("b", base + " two");
    assertTrue(
        index.stats().kept() == 2 && index.stats().evictions() > 0, index.stats().toString());
  }
}
