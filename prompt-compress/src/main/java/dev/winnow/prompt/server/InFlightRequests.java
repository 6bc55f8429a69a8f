package dev.winnow.prompt.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests being answered, for the graceful shutdown: once {@link #drain} begins, new requests
 * are refused (the server answers 503) and it waits until those in flight have been answered.
 */
final class InFlightRequests {
  private final AtomicInteger count = new AtomicInteger();
  private final Object drained = new Object();
  private volatile boolean draining;

  /** A request has arrived; pair with {@link #exit()} once it has been answered. */
  void enter() {
    count.incrementAndGet();
  }

  void exit() {
    if (count.decrementAndGet() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  int count() {
    return count.get();
  }

  boolean draining() {
    return draining;
  }

  /**
   * Refuses new requests from now on and waits up to {@code timeout} for those in flight; returns
   * how many are left.
   */
  int drain(Duration timeout) {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (drained) {
      while (count.get() > 0 && System.nanoTime() < deadline) {
        try {
          drained.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return count.get();
  }
}
