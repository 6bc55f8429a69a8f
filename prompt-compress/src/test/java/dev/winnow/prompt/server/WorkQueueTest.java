package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Admission on the work queue, decided on arrival from the work ahead and the measured costs: the
 * queue runs on a fake clock that only the jobs move (each job advances it by the time it "takes"),
 * its cost estimates are recorded by the test, and blocking jobs hold on latches, so every decision
 * below follows from the numbers, not from timing.
 */
class WorkQueueTest {
  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000_000 * MS);

  private long now() {
    return clock.get();
  }

  /** Three jobs of {@code kind}, {@code size} bytes, {@code ms} of service and of work each. */
  private static void teach(WorkQueue q, String kind, long size, long ms) {
    for (int i = 0; i < 3; i++) {
      q.record(kind, size, ms * MS, ms * MS);
    }
  }

  /** A job that takes {@code ms} on the fake clock. */
  private java.util.concurrent.Callable<String> takes(long ms, String answer) {
    return () -> {
      clock.addAndGet(ms * MS);
      return answer;
    };
  }

  /** Runs a job of {@code kind} without a deadline that holds its worker until {@code release}. */
  private CompletableFuture<String> block(WorkQueue q, String kind, CountDownLatch release)
      throws InterruptedException {
    int before = q.running();
    CompletableFuture<String> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return q.run(
                    kind,
                    100,
                    WorkQueue.NONE,
                    () -> {
                      release.await();
                      clock.addAndGet(100 * MS);
                      return "blocked";
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    HeldRequests.await(() -> q.running() == before + 1, "the blocking job runs");
    return f;
  }

  private CompletableFuture<String> async(WorkQueue q, String kind, long deadline, String answer) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return q.run(kind, 100, deadline, takes(100, answer));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void aJobThatWouldFinishLateIsRefusedAtOnceEvenOnAFreeWorker() throws Exception {
    try (WorkQueue q = new WorkQueue(2, 4, clock::get)) {
      teach(q, "k", 100, 100);
      assertEquals(100 * MS, q.expectedService("k", 100), 1);
      assertEquals(WorkQueue.MIN_SAFETY, q.safetyFactor());
      // 100 ms of service × 1.5 does not fit in 100 ms less the allowance: refused, nothing runs
      ApiException late =
          assertThrows(
              ApiException.class, () -> q.run("k", 100, now() + 100 * MS, takes(100, "never")));
      assertEquals(429, late.status());
      assertTrue(late.getMessage().contains("deadline"), late.getMessage());
      assertTrue(late.retryAfterSeconds() >= 1);
      assertEquals(1, q.refused("deadline"));
      assertEquals(0, q.services());
      // 150 ms fits in 200 ms less 10 ms + 2%
      assertEquals("ran", q.run("k", 100, now() + 200 * MS, takes(100, "ran")));
      // a tenfold input is expected to take ten times as long
      assertThrows(
          ApiException.class, () -> q.run("k", 1000, now() + 200 * MS, takes(100, "never")));
      assertEquals(2, q.refused("deadline"));
      assertEquals(0, q.overruns());
    }
  }

  @Test
  void aLargerLeastSafetyFactorRefusesSooner() throws Exception {
    try (WorkQueue strict = new WorkQueue(2, 4, 2.0, clock::get);
        WorkQueue usual = new WorkQueue(2, 4, clock::get)) {
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<String>> blockers = new ArrayList<>();
      for (WorkQueue q : List.of(strict, usual)) {
        teach(q, "k", 100, 100);
        teach(q, "b", 100, 10);
        blockers.add(block(q, "b", release));
      }
      // beside a 10 ms job: 110 ms predicted; × 1.5 = 165 fits in 200 ms less 14 ms, × 2 = 220 does
      // not
      assertEquals(2.0, strict.safetyFactor());
      assertThrows(
          ApiException.class, () -> strict.run("k", 100, now() + 200 * MS, takes(100, "never")));
      assertEquals("ran", usual.run("k", 100, now() + 200 * MS, takes(100, "ran")));
      release.countDown();
      for (CompletableFuture<String> b : blockers) {
        b.get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theWorkAheadDecidesAndAdmittedJobsAllFinishInTime() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 16, clock::get)) {
      teach(q, "k", 100, 100);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "k", release);
      long deadline = now() + 1000 * MS; // 970 ms after the allowance, 646 ms before × 1.5
      List<CompletableFuture<String>> admitted = new ArrayList<>();
      // the blocker's 100 ms and 100 ms per job ahead, plus its own 100 ms: five fit (600 ms)
      for (int i = 0; i < 5; i++) {
        admitted.add(async(q, "k", deadline, "job " + i));
        int n = i + 1;
        HeldRequests.await(() -> q.waiting() == n, "job " + n + " is admitted");
      }
      ApiException sixth =
          assertThrows(ApiException.class, () -> q.run("k", 100, deadline, takes(100, "never")));
      assertEquals(429, sixth.status());
      assertTrue(sixth.getMessage().contains("about 600 ms of work ahead"), sixth.getMessage());
      assertTrue(sixth.getMessage().contains("end in 700 ms"), sixth.getMessage());
      assertEquals(1, q.refused("deadline"));
      release.countDown();
      assertEquals("blocked", blocker.get(60, TimeUnit.SECONDS));
      for (int i = 0; i < 5; i++) {
        assertEquals("job " + i, admitted.get(i).get(60, TimeUnit.SECONDS));
      }
      assertTrue(now() <= deadline, "the last one ended at its deadline or before");
      assertEquals(0, q.overruns());
      assertEquals(6, q.services());
      assertEquals(6, q.waits());
    }
  }

  @Test
  void jobsRunAtOnceOnlyAsManyAsTheirDeadlinesAllow() throws Exception {
    try (WorkQueue q = new WorkQueue(4, 16, clock::get)) {
      teach(q, "k", 100, 400);
      long deadline = now() + 2000 * MS; // 1,950 ms after the allowance, 1,300 ms before × 1.5
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<String>> admitted = new ArrayList<>();
      // sharing the machine, n jobs of 400 ms of work all end after n × 400 ms: three fit
      for (int i = 0; i < 3; i++) {
        String name = "job " + i;
        admitted.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return q.run(
                        "k",
                        100,
                        deadline,
                        () -> {
                          release.await();
                          return name;
                        });
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
        int n = i + 1;
        HeldRequests.await(() -> q.running() == n, name + " runs");
      }
      // a worker is free, but a fourth would end at 1,600 ms (× 1.5 = 2,400) and so would the
      // others
      ApiException fourth =
          assertThrows(ApiException.class, () -> q.run("k", 100, deadline, takes(400, "never")));
      assertTrue(fourth.getMessage().contains("3 jobs running"), fourth.getMessage());
      assertTrue(fourth.getMessage().contains("end in 1600 ms"), fourth.getMessage());
      release.countDown();
      for (CompletableFuture<String> f : admitted) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(1, q.refused("deadline"));
    }
  }

  @Test
  void waitingJobsStartEarliestDeadlineFirst() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 16, clock::get)) {
      teach(q, "k", 100, 100);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "k", release);
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      long t0 = now();
      List<CompletableFuture<String>> jobs = new ArrayList<>();
      long[] deadlines = {3000, 1000, 2000};
      for (int i = 0; i < 3; i++) {
        String name = "due " + deadlines[i];
        long deadline = t0 + deadlines[i] * MS;
        jobs.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return q.run(
                        "k",
                        100,
                        deadline,
                        () -> {
                          order.add(name);
                          clock.addAndGet(100 * MS);
                          return name;
                        });
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
        int n = i + 1;
        HeldRequests.await(() -> q.waiting() == n, "job " + n + " waits");
      }
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
      for (CompletableFuture<String> j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
      assertEquals(List.of("due 1000", "due 2000", "due 3000"), order);
      assertEquals(0, q.overruns());
    }
  }

  @Test
  void aJobIsRefusedWhenOvertakingWouldMakeAnAdmittedJobLate() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 16, clock::get)) {
      teach(q, "k", 100, 100);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "k", release);
      // A: 100 ms ahead + 100 ms of its own, × 1.5 = 300 ms within 340 ms less 16.8 ms
      CompletableFuture<String> a = async(q, "k", now() + 340 * MS, "a");
      HeldRequests.await(() -> q.waiting() == 1, "A is admitted");
      // B, due sooner, would fit alone (300 ms within 313.4 ms) but would push A to 450 ms
      ApiException b =
          assertThrows(
              ApiException.class, () -> q.run("k", 100, now() + 330 * MS, takes(100, "b")));
      assertTrue(b.getMessage().contains("admitted before"), b.getMessage());
      // due sooner and cheap enough (A then ends by 100 + 10 + 100 ms × 1.5 = 315 ms): admitted
      teach(q, "small", 1, 10);
      CompletableFuture<String> c =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return q.run("small", 1, now() + 330 * MS, takes(10, "c"));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      HeldRequests.await(() -> q.waiting() == 2, "C is admitted");
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
      assertEquals("a", a.get(60, TimeUnit.SECONDS));
      assertEquals("c", c.get(60, TimeUnit.SECONDS));
      assertEquals(1, q.refused("deadline"));
      assertEquals(0, q.overruns());
    }
  }

  @Test
  void theSafetyFactorGrowsWithOverrunsAndComesBack() throws Exception {
    try (WorkQueue q = new WorkQueue(2, 4, clock::get)) {
      teach(q, "k", 100, 100);
      teach(q, "b", 100, 10);
      // predicted 100 ms; it takes 1,500 ms and ends past its deadline: admitted, run, counted
      assertEquals("slow", q.run("k", 100, now() + 1000 * MS, takes(1500, "slow")));
      assertEquals(1, q.overruns());
      assertEquals(WorkQueue.MAX_SAFETY, q.safetyFactor());
      // nine more at 100 ms: the estimate is back to 100 ms, the safety factor is not
      for (int i = 0; i < 9; i++) {
        q.record("k", 100, 100 * MS, 100 * MS);
      }
      assertEquals(100 * MS, q.expectedService("k", 100), 1);
      // beside a 10 ms job: predicted 110 ms, × 6 is past 500 ms less the allowance
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "b", release);
      ApiException strict =
          assertThrows(
              ApiException.class, () -> q.run("k", 100, now() + 500 * MS, takes(100, "never")));
      assertTrue(strict.getMessage().contains("6.00 for safety"), strict.getMessage());
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
      // jobs that take what was predicted bring it back down
      for (int i = 0; i < WorkQueue.RATIOS; i++) {
        q.run("k", 100, now() + 10_000 * MS, takes(100, "ok"));
      }
      assertEquals(WorkQueue.MIN_SAFETY, q.safetyFactor());
      CountDownLatch again = new CountDownLatch(1);
      blocker = block(q, "b", again);
      assertEquals("again", q.run("k", 100, now() + 500 * MS, takes(100, "again")));
      again.countDown();
      blocker.get(60, TimeUnit.SECONDS);
      assertEquals(1, q.overruns());
    }
  }

  @Test
  void aJobRunningPastItsPredictionRaisesTheSafetyFactorBeforeItEnds() throws Exception {
    try (WorkQueue q = new WorkQueue(2, 4, clock::get)) {
      teach(q, "k", 100, 100);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> slow =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return q.run(
                      "k",
                      100,
                      now() + 1000 * MS,
                      () -> {
                        release.await();
                        return "slow";
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      HeldRequests.await(() -> q.running() == 1, "the job runs");
      assertEquals(WorkQueue.MIN_SAFETY, q.safetyFactor());
      clock.addAndGet(400 * MS); // four times its predicted 100 ms, still running
      assertEquals(4.0, q.safetyFactor(), 1e-9);
      release.countDown();
      assertEquals("slow", slow.get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void workIsServiceTimeSharedByTheJobsRunning() throws Exception {
    try (WorkQueue q = new WorkQueue(2, 4, clock::get)) {
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<String>> two = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        two.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return q.run(
                        "v",
                        100,
                        WorkQueue.NONE,
                        () -> {
                          started.countDown();
                          release.await();
                          return "v";
                        });
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      assertTrue(started.await(60, TimeUnit.SECONDS));
      clock.addAndGet(100 * MS); // both run for these 100 ms
      release.countDown();
      for (CompletableFuture<String> f : two) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(100 * MS, q.expectedService("v", 100), 1);
      assertEquals(50 * MS, q.expectedWork("v", 100), 1);
    }
  }

  @Test
  void anUnmeasuredKindStartsOnlyOnAFreeWorker() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 4, clock::get)) {
      assertEquals("ran", q.run("new", 100, now() + MS, takes(5, "ran")));
      assertEquals(0, q.refused("deadline"));
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "new", release);
      ApiException unknown =
          assertThrows(
              ApiException.class, () -> q.run("other", 1, now() + 60_000 * MS, () -> "never"));
      assertTrue(unknown.getMessage().contains("measured yet"), unknown.getMessage());
      assertEquals(1, q.refused("deadline"));
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullQueueIsRefusedWithoutADeadline() throws Exception {
    try (WorkQueue q = new WorkQueue(1, 0, clock::get)) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> blocker = block(q, "k", release);
      ApiException full = assertThrows(ApiException.class, () -> q.run(() -> "never"));
      assertEquals(429, full.status());
      assertEquals(0, full.retryAfterSeconds());
      assertEquals(1, q.refused("full"));
      release.countDown();
      blocker.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void estimatesBorrowFromTheNearestSizeClass() {
    ServiceEstimates e = new ServiceEstimates();
    assertTrue(Double.isNaN(e.work("k", 100)));
    e.record("k", 1000, 200 * MS, 100 * MS); // class 9 (512-1023)
    // larger inputs: per byte from the class below
    assertEquals(400 * MS, e.service("k", 2000), 1);
    assertEquals(200 * MS, e.work("k", 2000), 1);
    // smaller inputs: the whole cost of the class above
    assertEquals(200 * MS, e.service("k", 10), 1);
    assertEquals(100 * MS, e.work("k", 10), 1);
    // service time: the 0.9 quantile; work: the mean
    for (int i = 1; i <= 8; i++) {
      e.record("k", 1000, 100 * MS, 100 * MS);
    }
    assertEquals(200 * MS, e.service("k", 1000), 1);
    assertEquals(100 * MS, e.work("k", 1000), 1);
    e.record("k", 1000, 100 * MS, 100 * MS);
    assertEquals(100 * MS, e.service("k", 1000), 1, "one slow job in ten is past the 0.9");
  }
}
