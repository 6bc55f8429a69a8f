package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deadlines on the work queue: work that cannot be answered in time is refused with 429, on arrival
 * when the wait is predictable, at the worker when its deadline came too near while it waited. The
 * jobs hold on latches, so what runs when is decided by the test, not by timing.
 */
class WorkQueueTest {
  private static final long MS = 1_000_000;

  /**
   * Runs one job of {@code kind} that lasts at least {@code ms}, so the queue expects that much for
   * the kind.
   */
  private static void learn(WorkQueue q, String kind, long ms) throws Exception {
    q.run(
        kind,
        1,
        WorkQueue.NONE,
        () -> {
          long t0 = System.nanoTime();
          HeldRequests.await(
              () -> System.nanoTime() - t0 >= ms * MS, "the job has lasted " + ms + " ms");
          return null;
        });
    assertTrue(q.expectedNanos(kind) >= ms * MS, "expected " + q.expectedNanos(kind));
  }

  /** Occupies a worker until {@code release} counts down. */
  private static CompletableFuture<Void> block(
      WorkQueue q, CountDownLatch started, CountDownLatch release) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            q.run(
                "block",
                1,
                WorkQueue.NONE,
                () -> {
                  started.countDown();
                  release.await();
                  return null;
                });
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void workThatCannotBeAnsweredInTimeIsRefused() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 4)) {
      learn(q, "k", 50);
      long expected = (long) q.expectedNanos("k");
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> blocker = block(q, started, release);
      assertTrue(started.await(60, TimeUnit.SECONDS));

      // on arrival: its 1 ms cannot hold the ≥ 50 ms of service the kind takes, and no worker is
      // free
      ApiException now =
          assertThrows(
              ApiException.class, () -> q.run("k", 1, System.nanoTime() + MS, () -> "never"));
      assertEquals(429, now.status());
      assertTrue(now.getMessage().contains("deadline"), now.getMessage());
      assertTrue(now.retryAfterSeconds() >= 1);
      assertEquals(1, q.refused("deadline"));

      // admitted (the worker should be free in time), then its deadline passes while it waits
      long deadline = System.nanoTime() + 3 * expected;
      CompletableFuture<String> late =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return q.run("k", 1, deadline, () -> "ran");
                } catch (Exception e) {
                  throw new IllegalStateException(e.getMessage(), e);
                }
              });
      HeldRequests.await(() -> q.waiting() == 1, "the job waits for the worker");
      HeldRequests.await(() -> System.nanoTime() > deadline, "its deadline has passed");
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> late.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("waited"), e.getCause().getMessage());
      assertEquals(1, q.refused("late"));
      assertEquals(0, q.refused("full"));
      assertEquals(
          "ran", q.run("k", 1, WorkQueue.NONE, () -> "ran"), "no deadline: never refused for time");
    }
  }

  @Test
  void aMeasuredJobThatWouldFinishLateIsRefusedEvenOnAFreeWorker() throws Exception {
    try (WorkQueue q = new WorkQueue(2, 4)) {
      learn(q, "k", 50);
      // nothing waits, but its 1 ms cannot hold the kind's >= 50 ms of service: refused at once
      long t0 = System.nanoTime();
      ApiException late =
          assertThrows(
              ApiException.class, () -> q.run("k", 1, System.nanoTime() + MS, () -> "never"));
      assertEquals(429, late.status());
      assertTrue(late.getMessage().contains("± "), late.getMessage());
      assertTrue(System.nanoTime() - t0 < 50 * MS, "refused without waiting");
      assertEquals(1, q.refused("deadline"));
      // a deadline that holds the mean and the margin is admitted
      long enough = (long) (q.expectedNanos("k") + 4 * WorkQueue.MARGIN * q.deviationNanos("k"));
      assertEquals("ran", q.run("k", 1, System.nanoTime() + enough, () -> "ran"));
      // ten units of the same kind are predicted to take ten times as long: refused on that
      // deadline
      ApiException tenfold =
          assertThrows(
              ApiException.class, () -> q.run("k", 10, System.nanoTime() + enough, () -> "never"));
      assertTrue(tenfold.getMessage().contains("deadline"), tenfold.getMessage());
      assertEquals(2, q.refused("deadline"));
      assertEquals(2, q.services());
      assertEquals(2, q.waits());
      assertTrue(q.serviceSeconds() >= 0.05 && q.waitSeconds() >= 0);
    }
  }

  @Test
  void anUnmeasuredKindStartsOnAFreeWorkerAndIsRefusedWhenItWouldWait() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 4)) {
      // never measured, a free worker: it runs (and is measured), whatever its deadline
      assertEquals("ran", q.run("new", 1, System.nanoTime() + MS, () -> "ran"));
      assertEquals(0, q.refused("deadline"));
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> blocker = block(q, started, release);
      assertTrue(started.await(60, TimeUnit.SECONDS));
      // another unmeasured kind cannot start now and its wait cannot be predicted: refused at once
      ApiException unknown =
          assertThrows(
              ApiException.class,
              () -> q.run("other", 1, System.nanoTime() + 60_000 * MS, () -> "never"));
      assertEquals(429, unknown.status());
      assertTrue(unknown.getMessage().contains("measured yet"), unknown.getMessage());
      assertEquals(1, q.refused("deadline"));
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullQueueIsRefusedWithoutADeadline() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 0)) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> blocker = block(q, started, release);
      assertTrue(started.await(60, TimeUnit.SECONDS));
      ApiException full = assertThrows(ApiException.class, () -> q.run(() -> "never"));
      assertEquals(429, full.status());
      assertEquals(0, full.retryAfterSeconds());
      assertEquals(1, q.refused("full"));
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
    }
  }
}
