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
 * <p>A job may have a deadline (a {@link System#nanoTime()} instant). The queue keeps a moving
 * average of the service time of each kind of job (the route), measured under the load of the
 * moment, and refuses a job with a deadline ({@link ApiException#overloaded}, 429 with {@code
 * Retry-After}) when it cannot be answered in time:
 *
 * <ul>
 *   <li>at once, when no worker is free and the predicted wait (the expected work of the jobs
 *       waiting and the rest of those running, shared by the workers) plus its own expected service
 *       ends after its deadline; a job that finds a free worker always starts, so that a kind whose
 *       average exceeds every deadline still gets measured;
 *   <li>when it reaches a worker after waiting, if what is left of its deadline is less than its
 *       expected service time (it does not start: its work would be wasted and would delay the jobs
 *       behind it).
 * </ul>
 *
 * A job that has started runs to the end. Queue wait and service time are counted apart.
 */
final class WorkQueue implements AutoCloseable {
  /** No deadline. */
  static final long NONE = Long.MAX_VALUE;

  /** Weight of the newest sample in the moving average of service times. */
  private static final double ALPHA = 0.2;

  private final ThreadPoolExecutor executor;
  private final int workers;
  private final int capacity;
  private final Map<String, Double> expectedNanos = new HashMap<>();

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
    return run("other", NONE, job);
  }

  /**
   * Runs {@code job} of kind {@code kind} on a worker and waits for it; a full queue, or a {@code
   * deadline} ({@link System#nanoTime()}, or {@link #NONE}) it cannot meet, is a 429.
   */
  <T> T run(String kind, long deadline, Callable<T> job) throws Exception {
    long submitted = System.nanoTime();
    double expected;
    boolean mustWait;
    synchronized (this) {
      expected = expectedNanos.getOrDefault(kind, 0.0);
      mustWait = running.size() + queued >= workers;
      if (deadline != NONE && mustWait) {
        double wait = predictedWait(submitted);
        if (submitted + wait + expected > deadline) {
          refusedAtAdmission.increment();
          throw ApiException.overloaded(
              wait,
              "cannot answer within the request's deadline: about "
                  + millis(wait)
                  + " ms of queued work and "
                  + millis(expected)
                  + " ms of service expected, "
                  + millis(deadline - submitted)
                  + " ms left; retry later or give a longer deadline (X-Deadline-Ms)");
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
                  running.put(token, started + (long) expected);
                }
                try {
                  return job.call();
                } finally {
                  long served = System.nanoTime() - started;
                  serviceCount.increment();
                  serviceNanos.add(served);
                  synchronized (this) {
                    running.remove(token);
                    expectedNanos.merge(kind, (double) served, (old, x) -> old + ALPHA * (x - old));
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
   * The expected service time of a job of {@code kind} (0 before the first has run), in
   * nanoseconds.
   */
  synchronized double expectedNanos(String kind) {
    return expectedNanos.getOrDefault(kind, 0.0);
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
