package dev.winnow.prompt.server;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue in front of the model: {@code workers} jobs run, {@code capacity} wait, and a
 * job beyond that is refused at once (the server answers 429) instead of piling up latency and
 * memory.
 *
 * <p>A job may have a deadline (a {@link System#nanoTime()} instant). The queue keeps, for each
 * kind of job (the route), a moving average of its service time per unit of work (the request's
 * size: one compression of four contexts is four times the work of one) and of its deviation from
 * that average, measured under the load of the moment, and decides on arrival, so that a refusal
 * costs the client no waiting ({@link ApiException#overloaded}, 429 with {@code Retry-After}):
 *
 * <ul>
 *   <li>a job of a kind that has been measured is admitted only when the predicted wait (the
 *       expected work of the jobs waiting and the rest of those running, shared by the workers)
 *       plus its own expected service, plus a margin of {@value #MARGIN} deviations (widened with
 *       the square root of the queue ahead), ends before its deadline less an allowance for the
 *       work outside the queue ({@link #allowance}); the predicted wait is scaled by how far past
 *       waits came out from their predictions (mean and {@value #MARGIN} deviations of the ratio),
 *       so a busy machine makes the queue stricter by itself; this holds on a free worker too,
 *       since a job that would finish late is as useless to its client as a refused one;
 *   <li>a job of a kind not measured yet starts when a worker is free (that is how the kind gets
 *       measured) and is refused when it would have to wait, since its wait cannot be predicted;
 *   <li>as a last guard, a job that reaches a worker with less of its deadline left than its mean
 *       service time is refused there (its work would be wasted and would delay the jobs behind
 *       it); the margin at admission makes this rare.
 * </ul>
 *
 * A job that has started runs to the end. Queue wait and service time are counted apart.
 */
final class WorkQueue implements AutoCloseable {
  /** No deadline. */
  static final long NONE = Long.MAX_VALUE;

  /** Weight of the newest sample in the moving averages of service times and their deviation. */
  private static final double ALPHA = 0.2;

  /** Deviations of service time added to a prediction before a job with a deadline is admitted. */
  static final double MARGIN = 2.0;

  /**
   * How far the waits came out from their prediction: the moving mean and deviation of actual ÷
   * predicted wait, over the jobs that waited, so that a prediction that keeps falling short (a
   * busy machine, work outside the queue) is scaled up.
   */
  private final Estimate waitScale = new Estimate(1.0, 0.25);

  /**
   * Time kept back from every deadline for what happens outside the queue (reading the request,
   * writing the answer): 10 ms plus 2% of the deadline.
   */
  static long allowance(long deadlineNanos) {
    return 10_000_000L + deadlineNanos / 50;
  }

  /**
   * A kind's service time per unit of work: moving mean and moving mean absolute deviation, in
   * nanoseconds.
   */
  private static final class Estimate {
    double mean;
    double deviation;

    Estimate() {}

    Estimate(double mean, double deviation) {
      this.mean = mean;
      this.deviation = deviation;
    }

    void add(double nanos) {
      if (mean == 0 && deviation == 0) {
        // one sample says nothing of the spread: start from half of it
        mean = nanos;
        deviation = nanos / 2;
      } else {
        deviation += ALPHA * (Math.abs(nanos - mean) - deviation);
        mean += ALPHA * (nanos - mean);
      }
    }
  }

  private final ThreadPoolExecutor executor;
  private final int workers;
  private final int capacity;
  private final Map<String, Estimate> estimates = new HashMap<>();

  /** Jobs running: their expected end (nanoTime). */
  private final Map<Object, Long> running = new IdentityHashMap<>();

  private double queuedNanos;
  private int queued;
  private final LongAdder waitCount = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder serviceCount = new LongAdder();
  private final LongAdder serviceNanos = new LongAdder();
  private final LongAdder refusedFull = new LongAdder();
  private final LongAdder refusedAtAdmission = new LongAdder();
  private final LongAdder refusedAtStart = new LongAdder();

  WorkQueue(int workers, int capacity) {
    AtomicInteger n = new AtomicInteger();
    this.workers = workers;
    this.capacity = capacity;
    this.executor =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.SECONDS,
            capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t = new Thread(r, "winnow-api-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code job} on a worker and waits for it; a full queue is a 429. */
  <T> T run(Callable<T> job) throws Exception {
    return run("other", 1, NONE, job);
  }

  /**
   * Runs {@code job} of kind {@code kind} and {@code size} units of work (at least 1: e.g. the
   * request's bytes) on a worker and waits for it; a full queue, or a {@code deadline} ({@link
   * System#nanoTime()}, or {@link #NONE}) it cannot meet, is a 429.
   */
  <T> T run(String kind, long size, long deadline, Callable<T> job) throws Exception {
    long submitted = System.nanoTime();
    double units = Math.max(1, size);
    double expected;
    double deviation;
    boolean mustWait;
    double rawWait;
    synchronized (this) {
      Estimate estimate = estimates.get(kind);
      expected = estimate == null ? 0 : estimate.mean * units;
      deviation = estimate == null ? 0 : estimate.deviation * units;
      mustWait = running.size() + queued >= workers;
      rawWait = mustWait ? predictedWait(submitted) : 0;
      if (deadline != NONE) {
        long left = deadline - submitted;
        left -= allowance(left);
        if (estimate == null) {
          if (mustWait) {
            refusedAtAdmission.increment();
            throw ApiException.overloaded(
                rawWait,
                "cannot promise an answer within the request's deadline: no "
                    + kind
                    + " job has been measured yet and every worker is busy; retry shortly");
          }
        } else {
          double wait = rawWait * (waitScale.mean + MARGIN * waitScale.deviation);
          double margin = MARGIN * deviation * Math.sqrt(1.0 + (double) queued / workers);
          if (wait + expected + margin > left) {
            refusedAtAdmission.increment();
            throw ApiException.overloaded(
                wait,
                "cannot answer within the request's deadline: about "
                    + millis(wait)
                    + " ms of queued work and "
                    + millis(expected)
                    + " ms (± "
                    + millis(deviation)
                    + ") of service expected, "
                    + millis(left)
                    + " ms left; retry later or give a longer deadline (X-Deadline-Ms)");
          }
        }
      }
      queued++;
      queuedNanos += expected;
    }
    Future<T> future;
    try {
      future =
          executor.submit(
              () -> {
                Object token = new Object();
                long started = System.nanoTime();
                waitCount.increment();
                waitNanos.add(started - submitted);
                synchronized (this) {
                  queued--;
                  queuedNanos -= expected;
                  if (rawWait > 1e6) {
                    waitScale.add((started - submitted) / rawWait);
                  }
                  if (deadline != NONE && mustWait && started + expected > deadline) {
                    refusedAtStart.increment();
                    throw ApiException.overloaded(
                        0,
                        "waited "
                            + millis(started - submitted)
                            + " ms in the queue; "
                            + millis(deadline - started)
                            + " ms left of the request's deadline, "
                            + millis(expected)
                            + " ms of service expected; retry later or give a longer deadline (X-Deadline-Ms)");
                  }
                  // a running job is expected to end one deviation after its mean, so that the
                  // jobs admitted behind it are not promised a worker too early
                  running.put(token, started + (long) (expected + deviation));
                }
                try {
                  return job.call();
                } finally {
                  long served = System.nanoTime() - started;
                  serviceCount.increment();
                  serviceNanos.add(served);
                  synchronized (this) {
                    running.remove(token);
                    estimates.computeIfAbsent(kind, k -> new Estimate()).add(served / units);
                  }
                }
              });
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        queued--;
        queuedNanos -= expected;
      }
      refusedFull.increment();
      throw new ApiException(
          429,
          null,
          "the server is busy: "
              + executor.getActiveCount()
              + " jobs running and "
              + capacity
              + " waiting (the queue is full); retry shortly");
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    }
  }

  /** The expected wait of a job arriving at {@code now} when no worker is free. Holds the lock. */
  private double predictedWait(long now) {
    double left = queuedNanos;
    for (long end : running.values()) {
      left += Math.max(0, end - now);
    }
    return left / workers;
  }

  private static long millis(double nanos) {
    return Math.round(nanos / 1e6);
  }

  int waiting() {
    return executor.getQueue().size();
  }

  int running() {
    return executor.getActiveCount();
  }

  /**
   * The expected service time of one unit of work of {@code kind} (0 before the first job has run),
   * in nanoseconds.
   */
  synchronized double expectedNanos(String kind) {
    Estimate e = estimates.get(kind);
    return e == null ? 0 : e.mean;
  }

  /**
   * The moving mean absolute deviation of the service time of one unit of {@code kind}, in
   * nanoseconds.
   */
  synchronized double deviationNanos(String kind) {
    Estimate e = estimates.get(kind);
    return e == null ? 0 : e.deviation;
  }

  long waits() {
    return waitCount.sum();
  }

  double waitSeconds() {
    return waitNanos.sum() / 1e9;
  }

  long services() {
    return serviceCount.sum();
  }

  double serviceSeconds() {
    return serviceNanos.sum() / 1e9;
  }

  /**
   * Jobs refused: {@code full} (no room in the queue), {@code deadline} at admission, {@code late}
   * at a worker.
   */
  long refused(String reason) {
    return switch (reason) {
      case "full" -> refusedFull.sum();
      case "deadline" -> refusedAtAdmission.sum();
      case "late" -> refusedAtStart.sum();
      default ->
          throw new IllegalArgumentException("reason: " + reason + " (full, deadline or late)");
    };
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
