package dev.winnow.prompt.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Lucene pool on disk with proxy-mini embeddings of real news demonstrations. */
class DemonstrationPoolTest {
  private static ProxyLm lm;
  private static DemonstrationEmbedder embedder;
  private static List<Demonstration> demos;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
    embedder = new DemonstrationEmbedder(lm, 64);
    demos = NewsDemonstrations.load(0, 200);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @Test
  void buildsSearchesAndReopensWithTheSameAnswers(@TempDir Path dir) {
    Demonstration probe = demos.get(17);
    List<String> before;
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(demos);
      assertEquals(200, pool.size());
      assertEquals(probe, pool.get(probe.id()).orElseThrow());
      List<PoolHit> hits = pool.knn(embedder.embed(probe.input()), 10, 100);
      assertEquals(probe.id(), hits.get(0).id(), "a demonstration's own input finds it first");
      assertEquals(1.0, hits.get(0).score(), 1e-4, "cosine of a vector with itself");
      for (int i = 1; i < hits.size(); i++) {
        assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first");
      }
      assertEquals(
          probe.id(),
          pool.bm25(probe.input(), 5).get(0).id(),
          "BM25 of its own text finds it first");
      before = hits.stream().map(PoolHit::id).toList();
    }
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      assertEquals(200, pool.size(), "the pool survives close and reopen");
      assertEquals(
          before,
          pool.knn(embedder.embed(probe.input()), 10, 100).stream().map(PoolHit::id).toList());
    }
  }

  @Test
  void stagedChangesAreInvisibleUntilCommittedAndThenSurviveReopening(@TempDir Path dir)
      throws Exception {
    List<Demonstration> some = demos.subList(0, 20);
    List<float[]> vectors = embedder.embed(some.stream().map(Demonstration::input).toList());
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(some.subList(0, 5));
      for (int i = 0; i < some.size(); i++) {
        pool.stage(some.get(i), vectors.get(i));
      }
      pool.stageDelete(some.get(2).id());
      assertEquals(5, pool.size(), "staged changes wait for commit");
      pool.commit();
      assertEquals(19, pool.size());
      assertTrue(pool.get(some.get(2).id()).isEmpty());
      assertEquals(some.get(7), pool.get(some.get(7).id()).orElseThrow());
      float[] v = pool.knn(vectors.get(7), 1, 50).get(0).vector();
      assertEquals(some.get(7).id(), pool.knn(vectors.get(7), 1, 50).get(0).id());
      for (int j = 0; j < v.length; j++) {
        assertEquals(vectors.get(7)[j], v[j], 0f, "the staged vector is the stored vector");
      }
    }
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      assertEquals(19, pool.size(), "committed: survives reopening");
    }
  }

  @Test
  void stagingRefusesVectorsOfTheWrongShape(@TempDir Path dir) {
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      float[] shortVector = new float[embedder.dimension() - 1];
      shortVector[0] = 1;
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> pool.stage(demos.get(0), shortVector));
      assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
      float[] notUnit = new float[embedder.dimension()];
      notUnit[0] = 2;
      e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> pool.stage(demos.get(0), notUnit));
      assertTrue(
          e.getMessage().contains(demos.get(0).id()) && e.getMessage().contains("unit vectors"),
          e.getMessage());
    }
  }

  @Test
  void upsertReplacesByIdAndDeleteRemoves(@TempDir Path dir) {
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(demos.subList(0, 50));
      Demonstration old = demos.get(3);
      Demonstration changed =
          new Demonstration(old.id(), old.input(), "A different headline", null).validated("d");
      pool.upsert(List.of(changed));
      assertEquals(50, pool.size(), "same id: replaced, not added");
      assertEquals("A different headline", pool.get(old.id()).orElseThrow().output());
      assertTrue(pool.delete(old.id()));
      assertFalse(pool.delete(old.id()), "a second delete finds nothing");
      assertEquals(49, pool.size());
      assertTrue(pool.get(old.id()).isEmpty());
      List<PoolHit> hits = pool.knn(embedder.embed(old.input()), 10, 100);
      assertTrue(
          hits.stream().noneMatch(h -> h.id().equals(old.id())), "deleted: not found by vector");
      assertTrue(
          pool.bm25(old.input(), 10).stream().noneMatch(h -> h.id().equals(old.id())),
          "nor by BM25");
    }
  }

  @Test
  void hnswAgreesWithExactSearchOnASmallPool(@TempDir Path dir) {
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(demos);
      int found = 0;
      for (Demonstration q : NewsDemonstrations.load(200, 20)) {
        float[] v = embedder.embed(q.input());
        List<String> exact = pool.exactKnn(v, 10).stream().map(PoolHit::id).toList();
        found += (int) pool.knn(v, 10, 100).stream().filter(h -> exact.contains(h.id())).count();
      }
      assertTrue(
          found >= 196, "recall@10 of HNSW against brute force on 200 vectors: " + found + "/200");
    }
  }

  @Test
  void aReopenedPoolKeepsItsEmbeddingSettings(@TempDir Path dir) {
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(demos.subList(0, 10));
    }
    try (DemonstrationPool pool = DemonstrationPool.open(dir, new DemonstrationEmbedder(lm, 256))) {
      assertEquals(64, pool.embedder().embedTokens(), "embed_tokens comes from pool.json");
      Demonstration d = demos.get(4);
      assertEquals(d.id(), pool.knn(pool.embedder().embed(d.input()), 1, 10).get(0).id());
    }
  }

  @Test
  void aPoolRefusesAnotherModel(@TempDir Path dir) {
    try (DemonstrationPool pool = DemonstrationPool.open(dir, embedder)) {
      pool.upsert(demos.subList(0, 5));
    }
    try (ProxyLm other =
        ProxyLm.loadCpu(ReferenceCases.shared().resolve("models/proxy-small"), 2)) {
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () -> DemonstrationPool.open(dir, new DemonstrationEmbedder(other, 64)));
      assertTrue(e.getMessage().contains("the model that built it"), e.getMessage());
    }
  }
}
