package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.scoring.BatchingScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Compression requests held in flight: {@link #send} holds a batcher and sends the bodies at once;
 * each request runs until its first call on that batcher and waits there until {@link #release()}.
 * Tests wait on what the server reports ({@link #awaitQueued}, {@link #await}), never for a time.
 * Closing releases the batcher, so a failed test never leaves a server stuck.
 */
final class HeldRequests implements AutoCloseable {
  private final BatchingScorer<?, ?> batcher;
  private final ExecutorService clients;
  private final List<Future<PromptApiServerTest.Response>> futures = new ArrayList<>();
  private boolean released;

  private HeldRequests(BatchingScorer<?, ?> batcher, int n) {
    this.batcher = batcher;
    this.clients = Executors.newFixedThreadPool(n);
  }

  /** Holds {@code batcher} and sends every body to {@code POST /v1/compress} at once. */
  static HeldRequests send(
      PromptApiServer server, BatchingScorer<?, ?> batcher, List<String> bodies) {
    HeldRequests held = new HeldRequests(batcher, bodies.size());
    batcher.hold();
    for (String b : bodies) {
      held.futures.add(
          held.clients.submit(() -> PromptApiServerTest.call(server, "POST", "/v1/compress", b)));
    }
    return held;
  }

  /**
   * Waits (up to two minutes) until at least {@code inputs} inputs are queued on the held batcher;
   * returns how many are.
   */
  long awaitQueued(long inputs, String waiting) throws InterruptedException {
    await(() -> batcher.pending() >= inputs, waiting);
    return batcher.pending();
  }

  /** Waits (up to two minutes) until {@code condition} holds. */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  /** Whether any request has been answered. */
  boolean anyAnswered() {
    return futures.stream().anyMatch(Future::isDone);
  }

  void release() {
    if (!released) {
      released = true;
      batcher.release();
    }
  }

  /** The responses, in the order of the bodies (releasing first). */
  List<PromptApiServerTest.Response> responses() throws Exception {
    release();
    List<PromptApiServerTest.Response> out = new ArrayList<>();
    for (Future<PromptApiServerTest.Response> f : futures) {
      out.add(f.get(300, TimeUnit.SECONDS));
    }
    return out;
  }

  @Override
  public void close() {
    release();
    clients.shutdown();
  }
}
