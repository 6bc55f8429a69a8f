package dev.winnow.prompt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.NewsDemonstrations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whole-sequence losses through a shared {@link BatchingScorer} equal the engine's losses of each
 * sequence alone.
 */
class ProxyLmBatchingTest {

  @Test
  void concurrentBatchedLossesEqualEachSequenceScoredAlone() throws Exception {
    ProxyLm lm = ReferenceCases.proxyMini();
    List<Demonstration> news = NewsDemonstrations.load(0, 12);
    int threads = 4;
    // per thread: mixed lengths — a headline, articles, a one-token and an empty sequence, one over
    // the context
    List<List<int[]>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<int[]> seqs = new ArrayList<>();
      seqs.add(lm.encode(news.get(3 * t).output()));
      seqs.add(lm.encode(news.get(3 * t + 1).input()));
      seqs.add(Arrays.copyOf(lm.encode(news.get(3 * t + 2).input()), 7 + 13 * t));
      seqs.add(new int[] {lm.encode("Hello")[0]});
      seqs.add(new int[0]);
      if (t == 0) {
        StringBuilder longText = new StringBuilder();
        for (Demonstration d : news) {
          longText.append(d.input()).append("\n\n");
        }
        int[] ids = lm.encode(longText.toString());
        assertTrue(
            ids.length > lm.maxPositions(),
            "the long sequence must exceed the context: " + ids.length);
        seqs.add(ids);
      }
      work.add(seqs);
    }

    try (BatchingScorer<int[], TokenLogProbs> batcher =
        new BatchingScorer<>(lm.engine()::score, 64, 0, "test-batcher")) {
      ProxyLm batched = lm.withSequenceScorer(seqs -> batcher.submitAll(seqs).join());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        batcher.hold();
        List<Future<List<float[]>>> all = new ArrayList<>();
        List<Future<float[]>> single = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<int[]> seqs = work.get(t);
          all.add(pool.submit(() -> batched.lossesAll(seqs)));
        }
        // every thread's call is queued before any goes out: they must share engine calls
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (batcher.pending() < threads && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertEquals(threads, batcher.pending(), "all threads' calls queued while held");
        batcher.release();
        for (int t = 0; t < threads; t++) {
          int[] ids = work.get(t).get(1);
          int end = 5 + 17 * t;
          single.add(pool.submit(() -> batched.losses(ids, end)));
        }

        for (int t = 0; t < threads; t++) {
          List<int[]> seqs = work.get(t);
          List<float[]> got = all.get(t).get(120, TimeUnit.SECONDS);
          assertEquals(seqs.size(), got.size());
          for (int i = 0; i < seqs.size(); i++) {
            assertArrayEquals(
                alone(lm, seqs.get(i), Integer.MAX_VALUE),
                got.get(i),
                "thread " + t + " sequence " + i + " (" + seqs.get(i).length + " tokens)");
          }
          assertArrayEquals(
              alone(lm, seqs.get(1), 5 + 17 * t),
              single.get(t).get(120, TimeUnit.SECONDS),
              "losses(ids, end) of thread " + t);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(2L * threads, batcher.submissions());
      assertTrue(
          batcher.batches() < batcher.submissions(),
          "the held calls went out together: "
              + batcher.batches()
              + " engine calls for "
              + batcher.submissions()
              + " submissions");
      long scored =
          work.stream().flatMap(List::stream).filter(s -> s.length >= 2).count() + threads;
      assertEquals(scored, batcher.documents(), "sequences under 2 tokens never reach the engine");
    }
  }

  /**
   * The reference: the engine's log-probabilities of the (clamped) sequence scored on its own,
   * negated.
   */
  private static float[] alone(ProxyLm lm, int[] ids, int end) {
    int n = Math.min(Math.min(end, ids.length), lm.maxPositions());
    if (n < 2) {
      return new float[0];
    }
    float[] logProbs = lm.engine().score(List.of(Arrays.copyOf(ids, n))).get(0).logProbs();
    float[] loss = new float[logProbs.length];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = -logProbs[i];
    }
    return loss;
  }
}
