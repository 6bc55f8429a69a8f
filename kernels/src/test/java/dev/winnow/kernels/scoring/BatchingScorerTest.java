package dev.winnow.kernels.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingScorerTest {

  @Test
  void batchesByCountAndByTimeWithTheSameScoresAsAlone() throws Exception {
    LoadedModel m = ModelLoader.load(SharedData.root().resolve("models/proxy-mini"));
    try (ScoringEngine engine =
        ScoringEngines.open(
            m.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2))) {
      DocumentScorer scorer = new DocumentScorer(engine, m.requireTokenizer());
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        texts.add(
            "Document number "
                + i
                + " says something about cattle, rain and the price of wool in "
                + (1990 + i)
                + ".");
      }
      try (BatchingScorer<String, DocumentScore> batcher = BatchingScorer.of(scorer, 4, 10_000)) {
        List<CompletableFuture<DocumentScore>> futures = new ArrayList<>();
        for (String t : texts) {
          futures.add(batcher.submit(t));
        }
        for (int i = 0; i < 8; i++) {
          DocumentScore got = futures.get(i).get(30, TimeUnit.SECONDS);
          DocumentScore alone = scorer.score(texts.get(i));
          assertEquals(alone.totalNll(), got.totalNll(), "document " + i + " scored as if alone");
          assertEquals(alone.tokens(), got.tokens());
        }
        assertEquals(2, batcher.batches(), "two full batches of 4 went out without waiting");
        // the last two wait for the 10 s timer or close(): close scores what is queued
      }
      try (BatchingScorer<String, DocumentScore> batcher = BatchingScorer.of(scorer, 16, 50)) {
        long t0 = System.nanoTime();
        DocumentScore one = batcher.submit(texts.get(0)).get(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, "a lone document is sent after the 50 ms wait, took " + ms + " ms");
        assertEquals(1, batcher.batches());
        assertEquals(scorer.score(texts.get(0)).totalNll(), one.totalNll());
      }
      BatchingScorer<String, DocumentScore> closed = BatchingScorer.of(scorer, 4, 10);
      closed.close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> closed.submit("late").get());
      assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }
  }

  @Test
  void listsTravelTogetherAreNeverSplitAndABadListFailsOnlyItself() throws Exception {
    List<List<Integer>> calls = new ArrayList<>();
    java.util.function.Function<List<Integer>, List<Integer>> square =
        inputs -> {
          calls.add(List.copyOf(inputs));
          if (inputs.contains(-1)) {
            throw new IllegalArgumentException("negative input");
          }
          return inputs.stream().map(x -> x * x).toList();
        };
    try (BatchingScorer<Integer, Integer> batcher = new BatchingScorer<>(square, 3, 0, "test")) {
      batcher.hold();
      CompletableFuture<List<Integer>> a = batcher.submitAll(List.of(1, 2));
      CompletableFuture<List<Integer>> b = batcher.submitAll(List.of(3, 4, 5));
      CompletableFuture<Integer> c = batcher.submit(6);
      CompletableFuture<List<Integer>> bad = batcher.submitAll(List.of(7, -1));
      assertTrue(batcher.submitAll(List.of()).get().isEmpty());
      assertEquals(4, batcher.pending());
      batcher.release();
      assertEquals(List.of(1, 4), a.get(30, TimeUnit.SECONDS));
      assertEquals(List.of(9, 16, 25), b.get(30, TimeUnit.SECONDS));
      assertEquals(36, c.get(30, TimeUnit.SECONDS));
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> bad.get(30, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
      // the first call closes at ≥ 3 inputs without splitting b; c and the bad list share the next,
      // which fails and is retried per submission so that c still gets its result
      assertEquals(
          List.of(List.of(1, 2, 3, 4, 5), List.of(6, 7, -1), List.of(6), List.of(7, -1)), calls);
      assertEquals(2, batcher.batches(), "successful calls");
      assertEquals(3, batcher.submissions());
      assertEquals(0, batcher.pending());
    }
  }

  @Test
  void aSubmitRacingCloseIsHandledOrRefusedNeverLeftWaiting() throws Exception {
    for (int round = 0; round < 50; round++) {
      BatchingScorer<Integer, Integer> b =
          new BatchingScorer<>(xs -> xs.stream().map(x -> x * 2).toList(), 4, 0, "t");
      List<CompletableFuture<Integer>> futures =
          java.util.Collections.synchronizedList(new ArrayList<>());
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  futures.add(b.submit(i));
                }
              });
      submitter.start();
      b.close();
      submitter.join();
      int handled = 0;
      for (int i = 0; i < futures.size(); i++) {
        CompletableFuture<Integer> f = futures.get(i);
        try {
          assertEquals(2 * i, f.get(10, TimeUnit.SECONDS)); // a TimeoutException fails the test
          handled++;
        } catch (ExecutionException e) {
          assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        }
      }
      assertEquals(handled, b.documents(), "every input queued before close was scored");
    }
  }
}
