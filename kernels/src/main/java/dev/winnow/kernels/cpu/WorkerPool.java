package dev.winnow.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A fixed set of worker threads (a {@link ForkJoinPool} sized to the cores by default) and a
 * parallel loop over task indices. Tasks are coarse (a tile of a matrix product, a block of
 * attention rows), so the fork/join overhead of a few microseconds per call is negligible.
 */
public final class WorkerPool implements AutoCloseable {
  private final ForkJoinPool pool;
  private final int threads;

  /**
   * {@code threads} workers (the calling thread alone when 1).
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "illegal thread count " + threads + ": must be at least 1");
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : new ForkJoinPool(threads);
  }

  /** The number of workers. */
  public int threads() {
    return threads;
  }

  /** Runs {@code body} for every index in {@code [0, tasks)}, in parallel, and waits for all. */
  public void forEach(int tasks, IntConsumer body) {
    if (pool == null || tasks == 1) {
      for (int i = 0; i < tasks; i++) {
        body.accept(i);
      }
      return;
    }
    pool.submit(() -> IntStream.range(0, tasks).parallel().forEach(body)).join();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
